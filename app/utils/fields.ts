import { z } from "zod";
import { personNameProblem } from "./names";
import { STATEMENT_MAX } from "./pledge";
import { isWebAddress, webAddressRule } from "./web-address";

// The one rule for each kind of value the app takes in, whoever types or
// imports it: the importers, the sample loader, the staff scripts and the
// forms. Messages are written to follow a name: an import problem prints them
// after its file, line and column ("email: must be an email address"), a
// form puts its own subject in front ("Your name must …").

function after(subject: string | undefined, rule: string) {
  return subject ? `${subject} ${rule}` : rule;
}

/** A Democracy Club person id, such as 900346: digits only. */
export const personId = z.string().trim().regex(/^\d+$/, "must be a Democracy Club person id (digits)");

/** A Democracy Club election id: the kind, optional parts, then the date (parl.2024-07-04). */
export const electionId = z
  .string()
  .trim()
  .regex(/^[a-z]+(\.[a-z0-9-]+)*\.\d{4}-\d{2}-\d{2}$/, "must be a Democracy Club election id such as parl.2024-07-04");

/** A Democracy Club ballot id: kind, place, date (parl.aldershot.2024-07-04). */
export const ballotPaperId = z
  .string()
  .trim()
  .regex(/^[a-z]+\.[a-z0-9-]+\.\d{4}-\d{2}-\d{2}$/, "must be a ballot id such as parl.aldershot.2024-07-04");

/** The shape of a GSS code of an area in the UK: its nation's letter and eight digits. */
export const gssCodePattern = /^[ESWN]\d{8}$/;

/** An ONS (GSS) code of a UK area, such as the constituency E14001063. */
export const gssCode = z.string().trim().regex(gssCodePattern, "must be a GSS code such as E14001063");

/** An email address, by zod's rule; a form passes its own GOV.UK message. */
export function emailAddress(message = "must be an email address") {
  return z.email(message);
}

/**
 * The email a member of staff types to find a person's data: trimmed and
 * lowercased, as asks store it, so any spelling of the case finds them.
 */
export const personEmail = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter the person’s email address")
  .max(254, "An email address must be 254 characters or fewer")
  .pipe(emailAddress("Enter an email address in the correct format, like name@example.com"));

/** A link stored and later shown as <a href>: only http and https (web-address.ts says why). */
export function webAddressOf({ subject }: { subject?: string } = {}) {
  return z.string().refine(isWebAddress, after(subject, webAddressRule));
}

/** The same, for an importer, which prints the rule after its file, line and column. */
export const webAddress = webAddressOf();

/**
 * A name people will see (a supporter's, a candidate's, a party's): required;
 * no control characters, since names go into mail headers; and by the one
 * rule for names (names.ts), not a spreadsheet formula and free of characters
 * that reorder or hide text. Letters of every script are fine.
 */
export function personName({ required, subject, max }: { required: string; subject?: string; max?: number }) {
  let name = z.string().trim().min(1, required);
  if (max !== undefined) name = name.max(max, after(subject, `must be ${max} characters or fewer`));
  return name
    .regex(/^[^\p{Cc}]+$/u, after(subject, "must only include letters, spaces and punctuation"))
    .superRefine((value, ctx) => {
      const problem = personNameProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: after(subject, problem) });
    });
}

/** A statement is shown as plain text: Windows line ends become \n, other control characters than \n go. */
export function cleanStatement(text: string) {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\n]/gu, "")
    .trim();
}

/** A candidate's public statement with their answers, cleaned, at most STATEMENT_MAX characters. */
export function statement({ subject }: { subject?: string } = {}) {
  return z
    .string()
    .transform(cleanStatement)
    .pipe(z.string().max(STATEMENT_MAX, after(subject, `must be ${STATEMENT_MAX} characters or fewer`)));
}

/** Free text shown as plain text (a report's details): cleaned as a statement is, required, and at most max characters. */
export function plainText({ required, subject, max }: { required: string; subject: string; max: number }) {
  return z
    .string()
    .transform(cleanStatement)
    .pipe(
      z
        .string()
        .min(1, required)
        .max(max, after(subject, `must be ${max} characters or fewer`)),
    );
}

/** An email a person may leave empty: empty is null. */
export function optionalEmailAddress({ subject, message }: { subject: string; message: string }) {
  return z
    .string()
    .trim()
    .max(254, after(subject, "must be 254 characters or fewer"))
    .pipe(z.union([z.literal(""), emailAddress(message)]))
    .transform((value) => value || null);
}

/**
 * Text as stored: no NUL characters, which mean nothing in text people read,
 * which no mail may carry (RFC 5321), and which PostgreSQL's text cannot
 * hold. Each is dropped, or becomes `replacement` (an address with one must
 * stay invalid: U+FFFD). Strings anywhere in plain objects and arrays.
 */
export function withoutNul<T>(value: T, replacement = ""): T {
  if (typeof value === "string") return value.replaceAll("\u0000", replacement) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNul(v, replacement)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v, replacement)])) as T;
  }
  return value;
}
