// The single source of truth for tables. Natural keys from the source data are
// kept (GSS codes, Democracy Club person_id and ballot_paper_id, party ids).
// Timestamps are UTC ISO-8601 strings throughout.
import { sql } from "drizzle-orm";
import {
  bool,
  id,
  index,
  integer,
  json,
  primaryKey,
  sqlNow,
  table,
  text,
  uniqueIndex,
  type AnyColumn,
} from "./columns";
import {
  askDeliveries,
  askStatuses,
  blockListKinds,
  correctionStatuses,
  correctionTopics,
  emailSources,
  staffRoles,
  supporterExportScopes,
  candidacyStatuses,
  consentActions,
  consentMethods,
  consentPurposes,
  hexLayoutKinds,
  importJobActions,
  importJobStatuses,
  importKinds,
  mailKinds,
  nations,
  outboxStatuses,
  pledgeAnswers,
  trustMarks,
  type HoldReason,
  type PledgeAnswer,
} from "./enums";

// One convention for when a row was made and last changed: `created_at` and
// `updated_at`, ISO-8601 UTC text in the form Date.toISOString() writes. The
// models pass the time they were given (so tests and imports choose the
// clock); the SQL default and $onUpdate only fill in a value a write leaves out.
function createdAt() {
  return text("created_at").notNull().default(sqlNow);
}
function updatedAt() {
  return text("updated_at")
    .notNull()
    .default(sqlNow)
    .$onUpdate(() => new Date().toISOString());
}
const timestamps = { createdAt: createdAt(), updatedAt: updatedAt() };

export const elections = table("elections", {
  // Democracy Club election id, e.g. "parl.2024-07-04".
  id: text("id").primaryKey(),
  date: text("date").notNull(),
  name: text("name").notNull(),
  ...timestamps,
});

export const constituencies = table(
  "constituencies",
  {
    // ONS GSS code, e.g. "E14001063".
    gssCode: text("gss_code").primaryKey(),
    name: text("name").notNull(),
    nameCy: text("name_cy"),
    slug: text("slug").notNull(),
    nation: text("nation", { enum: nations }).notNull(),
    regionCode: text("region_code"),
    regionName: text("region_name"),
    electorate: integer("electorate"),
    source: text("source").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("constituencies_slug_unique").on(t.slug)],
);

export const parties = table("parties", {
  // Democracy Club / Electoral Commission id: "PP53", "joint-party:53-119", "ynmp-party:2".
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  source: text("source").notNull(),
  ...timestamps,
});

export const candidacies = table(
  "candidacies",
  {
    id: id(),
    electionId: text("election_id")
      .notNull()
      .references(() => elections.id),
    personId: text("person_id").notNull(),
    name: text("name").notNull(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    ballotPaperId: text("ballot_paper_id").notNull(),
    constituencyCode: text("constituency_code")
      .notNull()
      .references(() => constituencies.gssCode),
    email: text("email"),
    // Where the email came from: "import" (the file kind in `source`) or
    // "staff", who found it published at emailSourceUrl. A later import never
    // silently replaces a staff-added address.
    emailSource: text("email_source", { enum: emailSources }),
    emailSourceUrl: text("email_source_url"),
    emailAddedBy: integer("email_added_by").references(() => staffAccounts.id),
    emailAddedAt: text("email_added_at"),
    homepageUrl: text("homepage_url"),
    // Social and other public links keyed by Democracy Club field name
    // (twitter_username, facebook_page_url, …), stored as a JSON object.
    links: json("links").$type<Record<string, string>>(),
    statement: text("statement"),
    status: text("status", { enum: candidacyStatuses }).notNull().default("standing"),
    source: text("source").notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("candidacies_election_person_unique").on(t.electionId, t.personId),
    index("candidacies_constituency_idx").on(t.constituencyCode),
    index("candidacies_party_idx").on(t.partyId),
  ],
);

export const hexLayouts = table("hex_layouts", {
  id: text("id").primaryKey(),
  layout: text("layout", { enum: hexLayoutKinds }).notNull(),
  source: text("source").notNull(),
  ...timestamps,
});

export const hexes = table(
  "hexes",
  {
    layoutId: text("layout_id")
      .notNull()
      .references(() => hexLayouts.id, { onDelete: "cascade" }),
    constituencyCode: text("constituency_code")
      .notNull()
      .references(() => constituencies.gssCode),
    q: integer("q").notNull(),
    r: integer("r").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.layoutId, t.constituencyCode] }),
    uniqueIndex("hexes_position_unique").on(t.layoutId, t.q, t.r),
  ],
);

export const importRuns = table("import_runs", {
  id: id(),
  kind: text("kind", { enum: importKinds }).notNull(),
  fileName: text("file_name").notNull(),
  sha256: text("sha256").notNull(),
  dryRun: bool("dry_run").notNull().default(false),
  rows: integer("rows").notNull(),
  added: integer("added").notNull(),
  updated: integer("updated").notNull(),
  withdrawn: integer("withdrawn").notNull(),
  removed: integer("removed").notNull(),
  unchanged: integer("unchanged").notNull(),
  startedAt: text("started_at").notNull(),
  finishedAt: text("finished_at").notNull(),
});

// A browser import, run off the request by a worker thread (app/importers/import-jobs.server.ts).
// The job is the page staff watch; what an applied import wrote is in import_runs.
export const importJobs = table(
  "import_jobs",
  {
    id: id(),
    action: text("action", { enum: importJobActions }).notNull(),
    status: text("status", { enum: importJobStatuses }).notNull().default("running"),
    /** The upload, by its SHA-256 under var/uploads, and the name staff gave it. */
    sha256: text("sha256").notNull(),
    fileName: text("file_name").notNull(),
    /** Null: detected from the file, as the command line does without --kind. */
    kind: text("kind", { enum: importKinds }),
    replaceStaffEmails: bool("replace_staff_emails").notNull().default(false),
    confirmedWithdrawals: integer("confirmed_withdrawals"),
    /** For an apply: the dry run it imports. */
    checkJobId: integer("check_job_id").references((): AnyColumn => importJobs.id),
    /** The staff account's email, as the audit log names it. */
    startedBy: text("started_by").notNull(),
    /** Which server process runs it: a job still "running" under another has lost its process. */
    runner: text("runner").notNull(),
    /** What the importer answered (an ImportJobResult), once done. */
    result: json("result").$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: text("finished_at"),
  },
  // One import at a time, whoever starts it: a second is refused while one runs.
  (t) => [
    uniqueIndex("import_jobs_one_running")
      .on(t.status)
      .where(sql`${t.status} = 'running'`),
  ],
);

// One row: the running campaign. The wording lives here, not in code, so the
// same tool can serve the next campaign.
export const campaigns = table("campaigns", {
  id: integer("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  summary: text("summary").notNull(),
  electionId: text("election_id")
    .notNull()
    .references(() => elections.id),
  fromEmail: text("from_email").notNull(),
  // Protects candidates' inboxes: asks above this many an hour are gathered into a digest.
  askHourlyCap: integer("ask_hourly_cap").notNull().default(20),
  // Ways of wording the ask a supporter can choose from; the four points are the fixed body.
  wordingVariants: json("wording_variants")
    .$type<WordingVariant[]>()
    .notNull()
    .default(sql`'[]'`),
  // Prompts shown beside the optional personal paragraph.
  messagePrompts: json("message_prompts")
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`),
  // The review queue's thresholds (app/models/review.server.ts reads them with defaults).
  reviewRules: json("review_rules")
    .$type<Partial<ReviewRules>>()
    .notNull()
    .default(sql`'{}'`),
  // Who the data controller is and how to reach them and the DPO, for the
  // privacy notice (app/models/privacy.server.ts fills in what is left out).
  privacy: json("privacy")
    .$type<Partial<PrivacyContacts>>()
    .notNull()
    .default(sql`'{}'`),
  // How long personal data is kept; those left out keep their defaults (app/utils/retention.ts).
  retention: json("retention")
    .$type<Partial<RetentionPeriods>>()
    .notNull()
    .default(sql`'{}'`),
  ...timestamps,
});

/** The data controller and its contacts, as the privacy notice names them. */
export type PrivacyContacts = {
  controllerName: string;
  /** Lines of a postal address, one a line. */
  controllerAddress: string;
  controllerEmail: string;
  /** The Data Protection Officer, if the controller has one: both may be empty. */
  dpoName: string;
  dpoEmail: string;
};

/** How long personal data is kept. */
export type RetentionPeriods = {
  /** Supporters' ask data is erased this many days after polling day. */
  askDaysAfterPollingDay: number;
  /** Client-address hashes on asks, and rate-limit counters, go after this many hours. */
  clientDataHours: number;
  /** Copies in the local mailbox go after this many days. */
  mailboxDays: number;
};

/** When a confirmed ask is held for a person instead of sent. */
export type ReviewRules = {
  /** More confirmed asks than this from one client address in an hour are held. */
  maxAsksPerAddressPerHour: number;
  /** More than this from one /24 (IPv4) or /48 (IPv6) network in an hour are held. */
  maxAsksPerNetworkPerHour: number;
  /** The same personal paragraph in more asks than this (in any time) is held. */
  maxAsksWithSameMessage: number;
  /** Hold asks whose personal paragraph holds a link. */
  holdLinks: boolean;
  /** Hold asks from a disposable email domain. */
  holdDisposableDomains: boolean;
};

export type WordingVariant = { id: string; label: string; opening: string; closing: string };

export const pledgePoints = table(
  "pledge_points",
  {
    id: id(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    // Goes up each time the words change; every version's words are kept in
    // pledge_point_versions, and each answer records the version it answered.
    version: integer("version").notNull().default(1),
    // Set when the campaign removes the point. Its answers and history stay
    // (they are append-only records of what was signed), but it is no longer
    // one of the campaign's points: it counts for no one's status and holds no
    // position, so the remaining points are numbered 1..n again.
    retiredAt: text("retired_at"),
  },
  (t) => [
    uniqueIndex("pledge_points_position_unique")
      .on(t.campaignId, t.position)
      .where(sql`${t.retiredAt} is null`),
  ],
);

// Every wording a point has had, so a signed answer is always shown against
// the words that were signed.
export const pledgePointVersions = table(
  "pledge_point_versions",
  {
    id: id(),
    pointId: integer("point_id")
      .notNull()
      .references(() => pledgePoints.id),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("pledge_point_versions_unique").on(t.pointId, t.version)],
);

// Every saved version of the campaign settings, with who saved it, so a
// change can be seen and undone by hand.
export const campaignSettingsVersions = table("campaign_settings_versions", {
  id: id(),
  settings: json("settings").$type<Record<string, unknown>>().notNull(),
  // The staff member's email, or the command that saved it.
  savedBy: text("saved_by").notNull(),
  createdAt: createdAt(),
});

// ONS Postcode Directory extract: postcode → 2024 constituency. `constituencyCode`
// is ONSPD's raw `pcon`, which may be a pseudo-code (L99999999 for the Channel
// Islands) or empty, so it has no foreign key.
//
// Rows are versioned so a 2.7-million-row import can be written in short
// transactions without anyone seeing half of it: an import writes the rows
// that change (and a `removed` row for each postcode that goes) under a new
// `generation`, invisible until postcode_directory.generation moves to it in
// one short step. A lookup reads the newest row at or below that generation;
// older rows are then cleaned up in short steps (app/models/postcode.server.ts).
export const postcodes = table(
  "postcodes",
  {
    postcode: text("postcode").notNull(),
    generation: integer("generation").notNull().default(0),
    constituencyCode: text("constituency_code"),
    terminatedOn: text("terminated_on"),
    removed: bool("removed").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.postcode, t.generation] }),
    // Finds an abandoned import's rows to delete.
    index("postcodes_generation").on(t.generation),
  ],
);

// One row (id 1): the generation of `postcodes` that lookups read. No row
// means generation 0.
export const postcodeDirectory = table("postcode_directory", {
  id: integer("id").primaryKey(),
  generation: integer("generation").notNull(),
  updatedAt: updatedAt(),
});

// At most one row (id 1): the postcode import writing a new generation now,
// so a second one refuses to start instead of mixing rows with it. A row left
// by a process that died is taken over, and its rows deleted, by the next import.
export const postcodeImportClaims = table("postcode_import_claims", {
  id: integer("id").primaryKey(),
  generation: integer("generation").notNull(),
  pid: integer("pid").notNull(),
  host: text("host").notNull(),
  startedAt: text("started_at").notNull(),
});

export const asks = table(
  "asks",
  {
    id: id(),
    electionId: text("election_id")
      .notNull()
      .references(() => elections.id),
    constituencyCode: text("constituency_code")
      .notNull()
      .references(() => constituencies.gssCode),
    name: text("name").notNull(),
    // Stored lowercased, so one person is one email.
    email: text("email").notNull(),
    postcode: text("postcode").notNull(),
    personalMessage: text("personal_message"),
    wordingId: text("wording_id").notNull(),
    showOnPublicList: bool("show_on_public_list").notNull(),
    wantsUpdates: bool("wants_updates").notNull(),
    status: text("status", { enum: askStatuses }).notNull().default("pending"),
    // SHA-256 of the confirmation link's token; cleared once used.
    tokenHash: text("token_hash"),
    tokenExpiresAt: text("token_expires_at"),
    reminderSentAt: text("reminder_sent_at"),
    confirmedAt: text("confirmed_at"),
    // Keyed hashes of the client address the ask was made from and of its
    // network (IPv4 /24, IPv6 /48), under the day's rotating key, for the
    // review queue's volume rules; never the address itself.
    clientAddressHash: text("client_address_hash"),
    clientNetworkHash: text("client_network_hash"),
    // The same under the block list's own key, so the block list can match
    // the ask at confirmation and staff can block from it while it is held;
    // cleared once it is confirmed, released or rejected.
    clientAddressBlockHash: text("client_address_block_hash"),
    clientNetworkBlockHash: text("client_network_block_hash"),
    // A hash of the personal paragraph with case and spacing evened out, so
    // the same paragraph pasted into many asks is found by an index.
    messageFingerprint: text("message_fingerprint"),
    // Why the review queue held it (empty unless it was held).
    holdReasons: json("hold_reasons")
      .$type<HoldReason[]>()
      .notNull()
      .default(sql`'[]'`),
    heldAt: text("held_at"),
    reviewedAt: text("reviewed_at"),
    reviewedBy: integer("reviewed_by").references(() => staffAccounts.id),
    // An organiser took the name off the public supporters list.
    hiddenFromPublicList: bool("hidden_from_public_list").notNull().default(false),
    // When the supporter was erased (app/models/erasure.server.ts): the row is
    // kept, anonymised, so the counts per constituency and candidate stay
    // right, with its name, email and postcode blanked and the rest cleared.
    erasedAt: text("erased_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("asks_token_hash_unique").on(t.tokenHash),
    index("asks_email_idx").on(t.email),
    index("asks_constituency_status_idx").on(t.constituencyCode, t.status),
    index("asks_status_created_idx").on(t.status, t.createdAt),
    index("asks_client_address_idx").on(t.clientAddressHash, t.createdAt),
    index("asks_client_network_idx").on(t.clientNetworkHash, t.createdAt),
    index("asks_message_fingerprint_idx").on(t.messageFingerprint),
    index("asks_confirmed_at_idx").on(t.confirmedAt),
  ],
);

// Which candidates an ask goes to, and how it reached them.
export const askRecipients = table(
  "ask_recipients",
  {
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    candidacyId: integer("candidacy_id")
      .notNull()
      .references(() => candidacies.id),
    // Set on confirmation: its own mail, gathered into a digest, or recorded only
    // (no published email, or the candidate had already signed every point).
    delivery: text("delivery", { enum: askDeliveries }),
    outboxId: integer("outbox_id").references(() => outbox.id, { onDelete: "set null" }),
    // When this supporter was told the candidate signed (only if they asked for updates).
    notifiedAt: text("notified_at"),
  },
  (t) => [
    primaryKey({ columns: [t.askId, t.candidacyId] }),
    index("ask_recipients_candidacy_idx").on(t.candidacyId, t.delivery),
  ],
);

// Every mail the app sends is first a row here, written in the same
// transaction as the change that causes it, then sent by the worker.
export const outbox = table(
  "outbox",
  {
    id: id(),
    kind: text("kind", { enum: mailKinds }).notNull(),
    toAddress: text("to_address").notNull(),
    toName: text("to_name"),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    // Stable per row, so a retried send is recognisably the same message.
    messageId: text("message_id").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    lastError: text("last_error"),
    sentAt: text("sent_at"),
    askId: integer("ask_id").references(() => asks.id, { onDelete: "set null" }),
    candidacyId: integer("candidacy_id").references(() => candidacies.id),
    // A supporter's mail: the one-click unsubscribe URL (with its token) for
    // the List-Unsubscribe header. Like the body's links, cleared once sent.
    listUnsubscribe: text("list_unsubscribe"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbox_message_id_unique").on(t.messageId),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_candidacy_idx").on(t.candidacyId, t.kind, t.createdAt),
  ],
);

// The local mailbox: where mail goes when no SMTP server is configured, so
// the whole journey works on a laptop. Readable only from the machine itself.
export const mailbox = table(
  "mailbox",
  {
    id: id(),
    // Deleting a mail from the outbox deletes its local copy: the only delete is
    // of an unconfirmed ask's mails, which keep nothing of the person.
    outboxId: integer("outbox_id").references(() => outbox.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    fromAddress: text("from_address").notNull(),
    toAddress: text("to_address").notNull(),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    raw: text("raw").notNull(),
    deliveredAt: text("delivered_at").notNull(),
  },
  (t) => [index("mailbox_to_idx").on(t.toAddress)],
);

// People who asked, when erased, never to be signed up for campaign updates
// again by accident: a later ask from the address is still made and sent, but
// without updates. Only a keyed hash of the lowercased email is kept
// (personKey in app/models/erasure.server.ts), never the address.
export const suppressions = table("suppressions", {
  emailHash: text("email_hash").primaryKey(),
  createdAt: createdAt(),
});

// Every wording a consent on the ask form has had. Saving a changed wording
// adds a version; a version's words never change (a trigger refuses UPDATE),
// so each consent record shows exactly what the person was shown.
export const consentTexts = table(
  "consent_texts",
  {
    id: id(),
    purpose: text("purpose", { enum: consentPurposes }).notNull(),
    version: integer("version").notNull(),
    wording: text("wording").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("consent_texts_purpose_version_unique").on(t.purpose, t.version)],
);

// Each consent a supporter gave or withdrew, with the wording (by version),
// when and how. Append-only (a trigger refuses UPDATE); an erasure deletes
// the person's records. asks.show_on_public_list and asks.wants_updates hold
// the current state that pages and mails read; these are the evidence of it.
export const consentRecords = table(
  "consent_records",
  {
    id: id(),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: consentPurposes }).notNull(),
    consentTextId: integer("consent_text_id")
      .notNull()
      .references(() => consentTexts.id),
    action: text("action", { enum: consentActions }).notNull(),
    method: text("method", { enum: consentMethods }).notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("consent_records_ask_idx").on(t.askId, t.purpose, t.id)],
);

// The links in supporters' mails to manage their data and to unsubscribe
// (List-Unsubscribe). One per mail, for the ask the mail is about; the page
// acts for everyone with that ask's email (all their asks). Only the token's
// SHA-256 is kept. Deleted with the ask, or when the person is erased.
export const supporterLinks = table(
  "supporter_links",
  {
    id: id(),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: text("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("supporter_links_token_hash_unique").on(t.tokenHash),
    index("supporter_links_ask_idx").on(t.askId),
    // The worker's sweep of expired links, on every tick.
    index("supporter_links_expires_idx").on(t.expiresAt),
  ],
);

// Fixed-window counters for abuse limits, keyed by what is limited (a hashed
// IP address, an email) and the window.
export const rateLimits = table("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: text("window_start").notNull(),
  count: integer("count").notNull(),
});

// Candidates' signing links. Many can be live for one candidacy (one in each
// mail); each works until it expires, and all are revoked when the candidate's
// published email changes. Only the token's SHA-256 is kept.
export const signingTokens = table(
  "signing_tokens",
  {
    id: id(),
    candidacyId: integer("candidacy_id")
      .notNull()
      .references(() => candidacies.id),
    tokenHash: text("token_hash").notNull(),
    // The published address the link was sent to.
    sentTo: text("sent_to").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("signing_tokens_hash_unique").on(t.tokenHash),
    index("signing_tokens_candidacy_idx").on(t.candidacyId),
  ],
);

// A candidacy's current pledge: its statement and how we know it is theirs.
// The answers per point are in pledge_point_answers (no row: not answered yet).
export const pledges = table("pledges", {
  candidacyId: integer("candidacy_id")
    .primaryKey()
    .references(() => candidacies.id),
  statement: text("statement"),
  trustMark: text("trust_mark", { enum: trustMarks }).notNull(),
  evidenceUrl: text("evidence_url"),
  firstAnsweredAt: text("first_answered_at").notNull(),
  updatedAt: updatedAt(),
});

export const pledgePointAnswers = table(
  "pledge_point_answers",
  {
    candidacyId: integer("candidacy_id")
      .notNull()
      .references(() => candidacies.id),
    pointId: integer("point_id")
      .notNull()
      .references(() => pledgePoints.id),
    answer: text("answer", { enum: pledgeAnswers }).notNull(),
    // The version of the point's words (pledge_point_versions) this answered.
    pointVersion: integer("point_version").notNull().default(1),
    answeredAt: text("answered_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.candidacyId, t.pointId] }),
    index("pledge_point_answers_point_idx").on(t.pointId, t.answer),
  ],
);

// Every change to a pledge, as made. Append-only: triggers in the migration
// refuse UPDATE and DELETE, so nothing is silently overwritten.
export const pledgeHistory = table(
  "pledge_history",
  {
    id: id(),
    candidacyId: integer("candidacy_id")
      .notNull()
      .references(() => candidacies.id),
    // Point id → answer after this change; a missing point is not answered.
    answers: json("answers").$type<Record<string, PledgeAnswer>>().notNull(),
    // Point id → the version of its words answered (absent: version 1, before versions were kept).
    pointVersions: json("point_versions").$type<Record<string, number>>(),
    statement: text("statement"),
    trustMark: text("trust_mark", { enum: trustMarks }).notNull(),
    evidenceUrl: text("evidence_url"),
    note: text("note"),
    // "candidate" for the signing link, else the staff member's name.
    recordedBy: text("recorded_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("pledge_history_candidacy_idx").on(t.candidacyId, t.createdAt)],
);

// What staff did, in the console and on the command line. Append-only
// (triggers refuse UPDATE and DELETE). `actor` is the staff member's email, or
// what ran the command; a supporter is only ever named by id in `subject`.
export const auditLog = table(
  "audit_log",
  {
    id: id(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    details: json("details").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt),
    index("audit_log_actor_idx").on(t.actor, t.createdAt),
    index("audit_log_action_idx").on(t.action, t.createdAt),
  ],
);

// People who run the campaign from /staff. No password is ever set on the
// command line: `npm run staff:add` makes the account and a one-time set-up link.
export const staffAccounts = table(
  "staff_accounts",
  {
    id: id(),
    // Stored lowercased.
    email: text("email").notNull(),
    role: text("role", { enum: staffRoles }).notNull(),
    // argon2id (PHC string); null until the set-up link is used.
    passwordHash: text("password_hash"),
    // Base32 TOTP secret, once a second factor is confirmed; null if none.
    totpSecret: text("totp_secret"),
    // The last TOTP time step accepted, so a code is never accepted twice.
    totpLastStep: integer("totp_last_step"),
    disabledAt: text("disabled_at"),
    lastSignInAt: text("last_sign_in_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("staff_accounts_email_unique").on(t.email)],
);

// One-time links to set a password (and a second factor): from staff:add, or
// a reset. Only the token's SHA-256 is kept.
export const staffSetupLinks = table(
  "staff_setup_links",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => staffAccounts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_setup_links_token_unique").on(t.tokenHash)],
);

// Recovery codes for a lost authenticator, shown once; kept as hashes, each used once.
export const staffRecoveryCodes = table(
  "staff_recovery_codes",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => staffAccounts.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: text("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_recovery_codes_account_idx").on(t.accountId)],
);

// Signed-in staff. The cookie carries the session id, signed; the row holds
// its SHA-256, so deleting rows signs people out at once (sign out, sign out
// everywhere, a disabled account). A session idle for 12 hours has ended.
export const staffSessions = table(
  "staff_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => staffAccounts.id, { onDelete: "cascade" }),
    // Sent in every staff form and checked on every staff POST.
    csrfToken: text("csrf_token").notNull(),
    // true between a right password and the second factor: not yet signed in.
    secondFactorPending: bool("second_factor_pending").notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [index("staff_sessions_account_idx").on(t.accountId)],
);

// The review queue's block list: asks matching an entry are held.
export const blockList = table(
  "block_list",
  {
    id: id(),
    kind: text("kind", { enum: blockListKinds }).notNull(),
    // What staff see: the email or domain, the address or network as typed,
    // or "the network of ask 123" when blocked from a held ask.
    label: text("label").notNull(),
    // What is compared: the lowercased email or domain, or the keyed hash
    // of the address or network under the block list's own key (as held asks
    // carry it: app/models/client-hash.server.ts).
    matchKey: text("match_key").notNull(),
    note: text("note"),
    createdBy: integer("created_by").references(() => staffAccounts.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("block_list_kind_key_unique").on(t.kind, t.matchKey)],
);

// "Report a correction" from a public candidate page, for staff to check.
// Personal data (the details may name people; the email is optional): each
// report is deleted a set time after staff resolve or dismiss it.
export const correctionReports = table(
  "correction_reports",
  {
    id: id(),
    candidacyId: integer("candidacy_id")
      .notNull()
      .references(() => candidacies.id),
    topic: text("topic", { enum: correctionTopics }).notNull(),
    details: text("details").notNull(),
    // Only so staff can ask or answer; never written to the audit log.
    reporterEmail: text("reporter_email"),
    status: text("status", { enum: correctionStatuses }).notNull().default("open"),
    staffNote: text("staff_note"),
    decidedAt: text("decided_at"),
    decidedBy: integer("decided_by").references(() => staffAccounts.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("correction_reports_status_created_idx").on(t.status, t.createdAt),
    index("correction_reports_decided_at_idx").on(t.decidedAt),
  ],
);

// At most one row (id 1): all sending is paused while it exists. The worker
// reads it before every batch it claims.
export const sendingPause = table("sending_pause", {
  id: integer("id").primaryKey(),
  pausedAt: text("paused_at").notNull(),
  pausedBy: integer("paused_by").references(() => staffAccounts.id),
  reason: text("reason"),
});

// Each download of the supporters who asked for updates, so "new since the
// last export" knows where the last one stopped.
export const supporterExports = table("supporter_exports", {
  id: id(),
  accountId: integer("account_id").references(() => staffAccounts.id),
  scope: text("scope", { enum: supporterExportScopes }).notNull(),
  rows: integer("rows").notNull(),
  // The newest confirmation the export included; the next "new" export starts after it.
  upTo: text("up_to"),
  createdAt: createdAt(),
});

export type Constituency = typeof constituencies.$inferSelect;
export type Candidacy = typeof candidacies.$inferSelect;
export type Party = typeof parties.$inferSelect;

// Server-side secrets the app makes for itself on first use (e.g. the key that
// signs the ask form's start time), so `npm start` needs no configuration and
// every process over one database signs and checks with the same key.
export const appSecrets = table("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});
