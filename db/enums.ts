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

// held: confirmed by the supporter but waiting for a person (the review
// queue), its mails written as held; rejected: a person stopped it, nothing sent.
export const askStatuses = ["pending", "confirmed", "held", "rejected"] as const;

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
  "ask-not-sent",
] as const;
export type MailKind = (typeof mailKinds)[number];

// The mails whose recipient is a supporter: each carries a link to manage
// their data and List-Unsubscribe headers (app/models/supporter-link.server.ts).
export const supporterMailKinds = [
  "ask-confirmation",
  "ask-already",
  "ask-reminder",
  "candidate-signed",
  "ask-not-sent",
] as const satisfies readonly MailKind[];

// What a supporter consents to on the ask form: that we send the ask, show
// them on the public list, and email them campaign updates.
export const consentPurposes = ["send-ask", "public-list", "updates"] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export const consentActions = ["given", "withdrawn"] as const;

// How a consent was given or withdrawn: on the ask form, on the "manage my
// data" page, by a mail client's one-click unsubscribe (RFC 8058), or by staff
// acting on the person's request.
export const consentMethods = ["ask-form", "manage-page", "one-click", "staff"] as const;
export type ConsentMethod = (typeof consentMethods)[number];

// held: written for an ask in the review queue, sent only if it is released;
// cancelled: stopped by staff before it went.
export const outboxStatuses = ["queued", "sending", "sent", "failed", "held", "cancelled"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const pledgeAnswers = ["signed", "declined"] as const;
export type PledgeAnswer = (typeof pledgeAnswers)[number];

export const trustMarks = ["verified-by-email", "recorded-by-campaign"] as const;
export type TrustMark = (typeof trustMarks)[number];

// In order of what they may do: each role can do everything the one before can.
export const staffRoles = ["viewer", "organiser", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

// What a block-list entry matches: a supporter's email, an email domain, one
// client address, or a client network (an IPv4 /24 or IPv6 /48).
export const blockListKinds = ["email", "domain", "address", "network"] as const;
export type BlockListKind = (typeof blockListKinds)[number];

// Why the review queue held an ask.
export const holdReasons = [
  "address-volume",
  "network-volume",
  "disposable-domain",
  "repeated-message",
  "link-in-message",
  "blocked-email",
  "blocked-domain",
  "blocked-address",
  "blocked-network",
] as const;
export type HoldReason = (typeof holdReasons)[number];

// What a reader says is wrong on a candidate's page, and what staff made of it.
export const correctionTopics = ["party", "email", "statement", "other"] as const;
export type CorrectionTopic = (typeof correctionTopics)[number];
export const correctionStatuses = ["open", "resolved", "dismissed"] as const;

export const supporterExportScopes = ["all", "new"] as const;

// Where a candidate's email came from: an imported file, or staff who found it
// published elsewhere (with the address of that page).
export const emailSources = ["import", "staff"] as const;

// A browser import runs off the request, as a job: a dry run ("check") first,
// then, on the second press, the import itself ("apply").
export const importJobActions = ["check", "apply"] as const;
export type ImportJobAction = (typeof importJobActions)[number];

// "done" is any answer the importer gave (a plan, problems, an import);
// "failed" an error it did not expect; "interrupted" a job whose server
// stopped (or was killed) while it ran, which wrote nothing.
export const importJobStatuses = ["running", "done", "failed", "interrupted"] as const;
