// How long each emailed link works, in one place: the models enforce these and
// the pages and mails say them (through describeDuration), so copy cannot
// drift from the rule. Client-safe: pages render these on the server and in the browser.
import { DAY } from "./time";

/** An unconfirmed ask, and its confirmation link, last this long; then the ask is deleted. */
export const ASK_LIFETIME_MS = 7 * DAY;
/** One reminder, this long after the first confirmation mail. */
export const REMINDER_AFTER_MS = DAY;
/** A candidate's signing link works this long (or until their published address changes). */
export const SIGNING_LINK_LIFETIME_MS = 30 * DAY;
/** A correction report (with the reporter's email) is kept this long after staff resolve or dismiss it. */
export const CORRECTION_KEPT_AFTER_DECISION_MS = 30 * DAY;
/** A file uploaded to the import page is kept this long for its second press, then deleted. */
export const UPLOAD_LIFETIME_MS = DAY;
/**
 * A supporter's "manage my data" and unsubscribe link works this long (or
 * until they are erased). Long, because a mail client may offer its
 * unsubscribe button on an old mail; every new mail brings a fresh link.
 */
export const SUPPORTER_LINK_LIFETIME_MS = 365 * DAY;
