// The consents a supporter gives on the ask form. Their wordings live in the
// database (consent_texts, one version per change, edited in the staff
// console); these are version 1, seeded by migration 0014, and what a database
// with no wording yet for a purpose starts from. Client-safe: no server imports.
import type { ConsentMethod, ConsentPurpose } from "#db/enums";

export const defaultConsentWordings: Record<ConsentPurpose, string> = {
  "send-ask":
    "Send my message, with my name and postcode, to the candidates I chose, with their replies coming to my email address",
  "public-list": "Show my first name and the initial of my last name on the public list of supporters",
  updates: "Email me campaign updates, including when my candidates sign",
};

/** What each consent is called where staff and supporters see it. */
export const consentPurposeLabels: Record<ConsentPurpose, string> = {
  "send-ask": "Sending your message to candidates",
  "public-list": "Your name on the public list of supporters",
  updates: "Campaign updates",
};

export const consentMethodLabels: Record<ConsentMethod, string> = {
  "ask-form": "ask form",
  "manage-page": "manage page",
  "one-click": "one-click unsubscribe",
  staff: "staff",
};

/** How a version is named in exports and on pages: "updates-v2". */
export function consentVersionName({ purpose, version }: { purpose: ConsentPurpose; version: number }) {
  return `${purpose}-v${version}`;
}
