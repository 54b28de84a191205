import type { z } from "zod";

/** A form's errors: one message per field, keyed by the field's name (its id, for the summary's links). */
export type FieldErrors = Record<string, string | undefined>;

/**
 * The errors a failed zod parse shows on a form: the first message for each
 * field (a field shows one message, the one to fix first), keyed by the
 * top-level name it failed on. In the order zod reports them, which is the
 * order of the schema's keys: a form's schema lists its fields in the order
 * the page shows them, so the error summary lists them in that order too, as
 * GOV.UK asks. A form with repeated fields (each point's title) names them
 * by their whole path, `points.0.title`: pass `byPath` to key errors so.
 */
export function fieldErrorsOf(error: z.ZodError, { byPath = false }: { byPath?: boolean } = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    // Every form schema checks fields, never the form as a whole, so an issue
    // always has a field; one without would have nowhere on the page to show.
    if (issue.path.length === 0) continue;
    const field = byPath ? issue.path.map(String).join(".") : String(issue.path[0]);
    errors[field] ??= issue.message;
  }
  return errors;
}

function hasFieldErrors(errors: FieldErrors | null | undefined): boolean {
  return errors ? Object.values(errors).some(Boolean) : false;
}

/** GOV.UK page titles start "Error: " when the form on the page has errors. */
export function errorTitle(title: string, errors: FieldErrors | null | undefined) {
  return hasFieldErrors(errors) ? `Error: ${title}` : title;
}
