import { Link } from "@remix-run/react";
import { ErrorSummary } from "~/components/error-summary";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { paths } from "~/utils/paths";

/**
 * What every settings page opens with: its title (prefixed "Error:" when the
 * form has errors), the breadcrumb back to Settings, the error summary, and
 * after a save the note of what happened (`saved` from the redirect's query).
 */
export function SettingsPageTop({
  title,
  errors,
  saved,
  savedMessage,
}: {
  title: string;
  errors: FieldErrors;
  /** "yes" or "unchanged" after a save; shown only until the form is posted again. */
  saved: string | null | undefined;
  savedMessage: string;
}) {
  return (
    <>
      <title>{errorTitle(`${title} – Staff console`, errors)}</title>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.staffSettings}>Settings</Link>
          </li>
        </ol>
      </nav>
      <ErrorSummary errors={errors} />
      {saved ? (
        <div className="notification" role="status">
          <p>{saved === "yes" ? savedMessage : "Nothing had changed, so nothing was saved."}</p>
        </div>
      ) : null}
    </>
  );
}
