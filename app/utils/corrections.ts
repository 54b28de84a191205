// What the "report a correction" form offers and staff read, in one place.
// Client-safe: the form and the staff queue render these in the browser.
import type { CorrectionTopic } from "#db/enums";
import { CORRECTION_KEPT_AFTER_DECISION_MS } from "./lifetimes";
import { describeDuration } from "./time";

export const correctionTopicLabels: Record<CorrectionTopic, string> = {
  party: "Their party",
  email: "Their email address",
  statement: "Their statement",
  other: "Something else",
};

export const CORRECTION_DETAILS_MAX = 1_000;

/** How long a report is kept once dealt with, as the form and privacy copy say it. */
export const correctionKeptFor = describeDuration(CORRECTION_KEPT_AFTER_DECISION_MS);
