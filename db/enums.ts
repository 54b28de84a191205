// The fixed vocabularies the schema's text columns are limited to. Imports
// nothing, so client code may use them: a component that imported them from
// schema.ts would ship drizzle and every table and column name to the browser
// (tests/e2e/client-bundle.test.ts checks it does not).

export const nations = ["England", "Scotland", "Wales", "Northern Ireland"] as const;
export type Nation = (typeof nations)[number];

export const candidacyStatuses = ["standing", "withdrawn"] as const;
export type CandidacyStatus = (typeof candidacyStatuses)[number];

export const hexLayoutKinds = ["odd-r", "even-r", "odd-q", "even-q"] as const;
export type HexLayoutKind = (typeof hexLayoutKinds)[number];

export const importKinds = [
  "ons-constituencies",
  "hoc-constituencies",
  "dc-candidates",
  "oi-candidates",
  "hexjson",
  "onspd-postcodes",
] as const;
export type ImportKind = (typeof importKinds)[number];

export const askStatuses = ["pending", "confirmed"] as const;

export const askDeliveries = ["mail", "digest", "no-email", "already-signed"] as const;

// Every kind of mail the app writes to the outbox.
export const mailKinds = [
  "ask-confirmation",
  "ask-already",
  "ask-reminder",
  "candidate-ask",
  "candidate-digest",
  "signing-link",
  "pledge-recorded",
  "candidate-signed",
] as const;
export type MailKind = (typeof mailKinds)[number];

export const outboxStatuses = ["queued", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const pledgeAnswers = ["signed", "declined"] as const;
export type PledgeAnswer = (typeof pledgeAnswers)[number];

export const trustMarks = ["verified-by-email", "recorded-by-campaign"] as const;
export type TrustMark = (typeof trustMarks)[number];
