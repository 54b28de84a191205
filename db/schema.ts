// The single source of truth for tables. Natural keys from the source data are
// kept (GSS codes, Democracy Club person_id and ballot_paper_id, party ids).
// Timestamps are UTC ISO-8601 strings throughout.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const timestamps = {
  createdAt: text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text("updated_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
};

export const nations = ["England", "Scotland", "Wales", "Northern Ireland"] as const;
export type Nation = (typeof nations)[number];

export const elections = sqliteTable("elections", {
  // Democracy Club election id, e.g. "parl.2024-07-04".
  id: text("id").primaryKey(),
  date: text("date").notNull(),
  name: text("name").notNull(),
  ...timestamps,
});

export const constituencies = sqliteTable(
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

export const parties = sqliteTable("parties", {
  // Democracy Club / Electoral Commission id: "PP53", "joint-party:53-119", "ynmp-party:2".
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  source: text("source").notNull(),
  ...timestamps,
});

export const candidacyStatuses = ["standing", "withdrawn"] as const;
export type CandidacyStatus = (typeof candidacyStatuses)[number];

export const candidacies = sqliteTable(
  "candidacies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    homepageUrl: text("homepage_url"),
    // Social and other public links keyed by Democracy Club field name
    // (twitter_username, facebook_page_url, …), stored as a JSON object.
    links: text("links", { mode: "json" }).$type<Record<string, string>>(),
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

export const hexLayoutKinds = ["odd-r", "even-r", "odd-q", "even-q"] as const;
export type HexLayoutKind = (typeof hexLayoutKinds)[number];

export const hexLayouts = sqliteTable("hex_layouts", {
  id: text("id").primaryKey(),
  layout: text("layout", { enum: hexLayoutKinds }).notNull(),
  source: text("source").notNull(),
  ...timestamps,
});

export const hexes = sqliteTable(
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

export const importKinds = [
  "ons-constituencies",
  "hoc-constituencies",
  "dc-candidates",
  "oi-candidates",
  "hexjson",
] as const;
export type ImportKind = (typeof importKinds)[number];

export const importRuns = sqliteTable("import_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind").notNull(),
  fileName: text("file_name").notNull(),
  sha256: text("sha256").notNull(),
  dryRun: integer("dry_run", { mode: "boolean" }).notNull().default(false),
  rows: integer("rows").notNull(),
  added: integer("added").notNull(),
  updated: integer("updated").notNull(),
  withdrawn: integer("withdrawn").notNull(),
  removed: integer("removed").notNull(),
  unchanged: integer("unchanged").notNull(),
  startedAt: text("started_at").notNull(),
  finishedAt: text("finished_at").notNull(),
});

// One row: the running campaign. The wording lives here, not in code, so the
// same tool can serve the next campaign.
export const campaigns = sqliteTable("campaigns", {
  id: integer("id").primaryKey(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  summary: text("summary").notNull(),
  electionId: text("election_id")
    .notNull()
    .references(() => elections.id),
  fromEmail: text("from_email").notNull(),
  ...timestamps,
});

export const pledgePoints = sqliteTable(
  "pledge_points",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
  },
  (t) => [uniqueIndex("pledge_points_position_unique").on(t.campaignId, t.position)],
);

export type Constituency = typeof constituencies.$inferSelect;
export type Candidacy = typeof candidacies.$inferSelect;
export type Party = typeof parties.$inferSelect;
