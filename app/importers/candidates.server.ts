import { z } from "zod";
import {
  listCandidacyRecords,
  markCandidaciesWithdrawn,
  saveCandidacyRecords,
  type CandidacyRecord,
} from "~/models/candidacy.server";
import { listConstituencyRecords } from "~/models/constituency.server";
import { ensureElection } from "~/models/election.server";
import { revokeSigningLinksOfPeople } from "~/models/signing-link.server";
import { listPartyRecords, savePartyRecords, type PartyRecord } from "~/models/party.server";
import { ballotPaperId, electionId, emailAddress, gssCode, personId, personName, webAddress } from "~/utils/fields";
import { slugify } from "~/utils/names";
import { isWebAddress } from "~/utils/web-address";
import type { CsvTable, SourceFile } from "./read-file.server";
import { describeConflict, describeDifferences, type Change, type ImportPlan } from "./plan";
import { ImportFailed, type Problem } from "./problems";
import { findDuplicates, optional, parseRows, requireColumns } from "./rows.server";
import type { OnRowsChecked } from "./types";

export type CandidatesKind = "dc-candidates" | "oi-candidates";

const commonColumns = ["person_id", "person_name", "election_id", "party_name", "post_label"] as const;
// Democracy Club's default export (11 columns) and its full form (38 columns).
export const dcColumns = [...commonColumns, "ballot_paper_id", "party_id"] as const;
// Open Innovations' variant: no ballot or party id, but a checked GSS code.
export const oiColumns = [...commonColumns, "pcon24cd"] as const;

// Public links in the full export, kept as a JSON object on the candidacy.
const linkColumns = [
  "facebook_page_url",
  "facebook_personal_url",
  "blog_url",
  "linkedin_url",
  "party_ppc_page_url",
  "twitter_username",
  "mastodon_username",
  "wikipedia_url",
  "youtube_profile",
  "instagram_url",
  "blue_sky_url",
  "threads_url",
  "tiktok_url",
  "other_url",
] as const;

/**
 * The full export wraps links, emails and handles in an extra pair of double
 * quotes (the raw cell is `"""x@y.org"""`), and writes "no value" both as `""`
 * and as nothing. Strip the wrapping and treat blanks as absent.
 */
function unwrap(value: unknown) {
  if (value === undefined) return null;
  if (typeof value !== "string") return value;
  let v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).trim();
  return v === "" ? null : v;
}

const unwrapped = <S extends z.ZodType>(schema: S) => z.preprocess(unwrap, schema.nullable());

// Handles are not links, but whatever shows them will make them into one; so
// they may hold only what a handle can, never a scheme such as "javascript:".
// X allows letters, digits and "_" (Democracy Club stores it without the "@").
const twitterHandle = z
  .string()
  .regex(/^@?[A-Za-z0-9_]{1,50}$/, "must be an X (Twitter) username, such as CaptainBeanyMP");
// A Mastodon account is "@user@server", or the profile's web address.
const mastodonAccount = z
  .string()
  .refine(
    (v) => /^@?[A-Za-z0-9_.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v) || isWebAddress(v),
    "must be a Mastodon account such as @name@mastodon.social, or a web address starting http:// or https://",
  );

/** What each link column may hold: all but the two handles are web addresses. */
function linkRule(column: (typeof linkColumns)[number]) {
  if (column === "twitter_username") return twitterHandle;
  if (column === "mastodon_username") return mastodonAccount;
  return webAddress;
}

const candidateRow = z.object({
  person_id: personId,
  // Names people will see, in mail headers and the open data too.
  person_name: personName({ required: "a candidate name is required" }),
  election_id: electionId,
  party_name: personName({ required: "a party name is required" }),
  post_label: z.string().trim().min(1, "a constituency name is required"),
  ballot_paper_id: optional(ballotPaperId),
  party_id: optional(z.string().trim()),
  pcon24cd: optional(gssCode),
  email: unwrapped(emailAddress()),
  homepage_url: unwrapped(webAddress),
  statement_to_voters: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.replace(/\r\n?/g, "\n").trim() : null),
    z.string().nullable(),
  ),
  ...Object.fromEntries(linkColumns.map((c) => [c, unwrapped(linkRule(c))])),
});
type CandidateRow = z.output<typeof candidateRow>;

// `source` is not compared: the same facts from another file are not a change.
const comparedFields = [
  "name",
  "partyId",
  "ballotPaperId",
  "constituencyCode",
  "email",
  "homepageUrl",
  "links",
  "statement",
  "status",
] as const satisfies readonly (keyof CandidacyRecord)[];

export async function planCandidatesImport({
  kind,
  file,
  table,
  replaceStaffEmails = false,
  now,
  onRowsChecked,
}: {
  kind: CandidatesKind;
  file: SourceFile;
  table: CsvTable;
  /** Lets the file's address replace one staff added; otherwise the staff one is kept and reported. */
  replaceStaffEmails?: boolean;
  now: Date;
  onRowsChecked?: OnRowsChecked;
}): Promise<ImportPlan> {
  requireColumns(file.name, table, kind === "dc-candidates" ? dcColumns : oiColumns);
  const has = (column: string) => table.header.includes(column);
  const problems: Problem[] = [];
  const rows = parseRows(file.name, table, candidateRow, problems, onRowsChecked);
  findDuplicates(file.name, rows, "person_id", (r) => `${r.election_id} ${r.person_id}`, problems);

  const constituencies = await listConstituencyRecords();
  const byCode = new Map(constituencies.map((c) => [c.gssCode, c]));
  const bySlug = new Map(constituencies.map((c) => [c.slug, c]));
  const parties = new Map((await listPartyRecords()).map((p) => [p.id, p]));
  const partyIdByName = new Map([...parties.values()].map((p) => [p.name.toLowerCase(), p.id]));
  const existingByElection = new Map<string, Map<string, CandidacyRecord>>();
  for (const electionId of new Set(rows.map((r) => r.data.election_id)))
    existingByElection.set(
      electionId,
      new Map((await listCandidacyRecords({ electionId })).map((c) => [c.personId, c])),
    );
  // A party name alone can be ambiguous: the Electoral Commission registers some
  // parties separately in Great Britain and Northern Ireland under one name
  // ("Conservative and Unionist Party" is PP52 and PP51, "Green Party" PP63 and
  // PP305). So a name first means the party already using it in that nation.
  const partyIdByNationAndName = new Map<string, string>();
  for (const existing of existingByElection.values()) {
    for (const c of existing.values()) {
      const party = parties.get(c.partyId);
      const nation = byCode.get(c.constituencyCode)?.nation;
      if (party && nation) partyIdByNationAndName.set(`${nation} ${party.name.toLowerCase()}`, party.id);
    }
  }

  const partyChanges = new Map<string, PartyRecord>();
  const incoming: {
    line: number;
    record: Omit<CandidacyRecord, "status" | "source" | "emailSource">;
    row: CandidateRow;
  }[] = [];
  for (const { line, data } of rows) {
    const constituency = resolveConstituency(data);
    if ("problem" in constituency) {
      problems.push({ file: file.name, line, ...constituency.problem });
      continue;
    }
    const partyName = data.party_name.toLowerCase();
    const partyId =
      data.party_id ??
      partyIdByNationAndName.get(`${constituency.value.nation} ${partyName}`) ??
      partyIdByName.get(partyName) ??
      `name:${slugify(data.party_name)}`;
    const party = parties.get(partyId) ?? partyChanges.get(partyId);
    if (!party || (data.party_id && party.name !== data.party_name)) {
      partyChanges.set(partyId, { id: partyId, name: data.party_name, source: kind });
    }
    const electionDate = data.election_id.slice(-10);
    incoming.push({
      line,
      row: data,
      record: {
        electionId: data.election_id,
        personId: data.person_id,
        name: data.person_name,
        partyId,
        ballotPaperId: data.ballot_paper_id ?? `parl.${constituency.value.slug}.${electionDate}`,
        constituencyCode: constituency.value.gssCode,
        email: data.email ?? null,
        homepageUrl: data.homepage_url ?? null,
        links: linksOf(data),
        statement: data.statement_to_voters,
      },
    });
  }
  if (problems.length > 0) throw new ImportFailed(problems);

  const changes: Change[] = [];
  for (const party of partyChanges.values()) {
    const type = parties.has(party.id) ? "updated" : "added";
    changes.push({ entity: "party", type, key: party.id, label: party.name });
  }

  const electionIds = [...new Set(incoming.map((i) => i.record.electionId))];
  const toSave: CandidacyRecord[] = [];
  const toWithdraw = new Map<string, string[]>();
  // Signing links went to the old address: when it changes, they all stop working.
  const emailChanged = new Map<string, string[]>();
  let unchanged = 0;
  for (const electionId of electionIds) {
    const existing = existingByElection.get(electionId) ?? new Map<string, CandidacyRecord>();
    const listed = new Set<string>();
    const covered = new Set<string>();
    for (const { record } of incoming) {
      if (record.electionId !== electionId) continue;
      listed.add(record.personId);
      covered.add(record.constituencyCode);
      const before = existing.get(record.personId);
      // Columns this file lacks (email, statement… in the short exports) keep
      // what an earlier, fuller file said.
      const email = emailFromFile({ before, fileEmail: has("email") ? record.email : undefined });
      const after: CandidacyRecord = {
        ...record,
        email: email.email,
        emailSource: email.emailSource,
        homepageUrl: has("homepage_url") ? record.homepageUrl : (before?.homepageUrl ?? null),
        links: linkColumns.some(has) ? record.links : (before?.links ?? null),
        statement: has("statement_to_voters") ? record.statement : (before?.statement ?? null),
        status: "standing",
        source: kind,
      };
      if (email.conflict) {
        changes.push({
          entity: "candidacy",
          type: "conflict",
          key: record.personId,
          label: describe(after, byCode),
          details: [describeConflict({ field: "email", staff: before?.email, file: record.email })],
        });
      }
      if (!before) {
        changes.push({ entity: "candidacy", type: "added", key: record.personId, label: describe(after, byCode) });
        toSave.push(after);
        continue;
      }
      const details = describeDifferences(before, after, comparedFields).map((detail) =>
        // Said in the diff, since it was only done because the import was told to.
        detail.startsWith("email:") && before.emailSource === "staff"
          ? `${detail} (replaces a staff-added address)`
          : detail,
      );
      if (details.length === 0) {
        unchanged++;
        continue;
      }
      changes.push({
        entity: "candidacy",
        type: "updated",
        key: record.personId,
        label: describe(after, byCode),
        details,
      });
      toSave.push(after);
      if (before.email !== after.email) {
        const people = emailChanged.get(electionId) ?? [];
        people.push(record.personId);
        emailChanged.set(electionId, people);
      }
    }
    // A file speaks for the ballots it lists: anyone standing in one of those
    // constituencies whom it no longer names has withdrawn. Ballots the file
    // does not mention are left alone, so a partial export withdraws no one.
    const withdrawn: string[] = [];
    for (const before of existing.values()) {
      if (before.status !== "standing" || listed.has(before.personId)) continue;
      if (!covered.has(before.constituencyCode)) continue;
      withdrawn.push(before.personId);
      const withdrawal = {
        personId: before.personId,
        name: before.name,
        partyName: parties.get(before.partyId)?.name ?? before.partyId,
        constituencyName: byCode.get(before.constituencyCode)?.name ?? before.constituencyCode,
      };
      changes.push({
        entity: "candidacy",
        type: "withdrawn",
        key: before.personId,
        label: describe(before, byCode),
        withdrawal,
      });
    }
    toWithdraw.set(electionId, withdrawn);
  }

  return {
    rows: rows.length,
    unchanged,
    changes,
    apply: async () => {
      for (const electionId of electionIds) {
        await ensureElection({ id: electionId, date: electionId.slice(-10), name: electionName(electionId), now });
      }
      await savePartyRecords({ records: [...partyChanges.values()], now });
      await saveCandidacyRecords({ records: toSave, now });
      for (const [electionId, personIds] of emailChanged) {
        await revokeSigningLinksOfPeople({ electionId, personIds, now });
      }
      for (const [electionId, personIds] of toWithdraw) {
        await markCandidaciesWithdrawn({ electionId, personIds, now });
      }
    },
  };

  /**
   * The email a candidacy gets from this file, and where it came from. A
   * column the file lacks keeps what was there. An address staff added is
   * kept when the file has a different one (a conflict, unless told to
   * replace it) and when the file has none: finding addresses Democracy Club
   * lacks is why staff add them.
   */
  function emailFromFile({
    before,
    fileEmail,
  }: {
    before: CandidacyRecord | undefined;
    fileEmail: string | null | undefined;
  }): { email: string | null; emailSource: CandidacyRecord["emailSource"]; conflict: boolean } {
    const kept = { email: before?.email ?? null, emailSource: before?.emailSource ?? null, conflict: false };
    if (fileEmail === undefined) return kept;
    if (before?.emailSource === "staff" && before.email !== null) {
      if (fileEmail === null || fileEmail === before.email) return kept;
      if (!replaceStaffEmails) return { ...kept, conflict: true };
    }
    return { email: fileEmail, emailSource: fileEmail === null ? null : "import", conflict: false };
  }

  /**
   * Prefer a GSS code the file vouches for (Open Innovations checked theirs),
   * then the ballot id's slug, then the post label. Democracy Club's optional
   * `gss` column is never used: for 2024 it is stale for five Scottish seats
   * and blank in Northern Ireland.
   */
  function resolveConstituency(
    row: CandidateRow,
  ): { value: (typeof constituencies)[number] } | { problem: Omit<Problem, "file" | "line"> } {
    if (row.pcon24cd) {
      const found = byCode.get(row.pcon24cd);
      if (found) return { value: found };
      return {
        problem: {
          column: "pcon24cd",
          message: `no constituency has the GSS code ${row.pcon24cd}; import constituencies first`,
        },
      };
    }
    const ballotSlug = row.ballot_paper_id?.split(".")[1];
    const found = (ballotSlug && bySlug.get(ballotSlug)) || bySlug.get(slugify(row.post_label));
    if (found) return { value: found };
    return {
      problem: {
        column: row.ballot_paper_id ? "ballot_paper_id" : "post_label",
        message: `no constituency matches ${row.ballot_paper_id ? `ballot "${row.ballot_paper_id}" or ` : ""}"${row.post_label}"; import constituencies first`,
      },
    };
  }
}

function linksOf(row: CandidateRow): Record<string, string> | null {
  const links: Record<string, string> = {};
  const values = row as Record<string, unknown>;
  for (const column of linkColumns) {
    const value = values[column];
    if (typeof value === "string") links[column] = value;
  }
  return Object.keys(links).length > 0 ? links : null;
}

function describe(c: Pick<CandidacyRecord, "name" | "constituencyCode">, byCode: Map<string, { name: string }>) {
  return `${c.name} (${byCode.get(c.constituencyCode)?.name ?? c.constituencyCode})`;
}

function electionName(id: string) {
  return id.startsWith("parl.") ? "UK Parliamentary general election" : `Election ${id}`;
}
