import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { candidacies, outbox, pledgeHistory } from "#db/schema";
import { ImportFailed, type Problem } from "~/importers/problems";
import { loadSampleElectionIfEmpty, samplePledgesFile } from "~/importers/sample.server";
import { confirmAsk, listAskableCandidates, submitAsk } from "~/models/ask.server";
import { countConstituencies } from "~/models/constituency.server";
import { listCandidacyStatuses } from "~/models/pledge-status.server";
import { loader as constituenciesJson } from "~/routes/data.constituencies[.]json";
import { loader as pledgesCsv } from "~/routes/data.pledges[.]csv";
import { loader as pledgesJson } from "~/routes/data.pledges[.]json";
import { db } from "~/utils/db.server";
import { publicCacheControl } from "~/utils/http-cache";
import {
  buildFourPoints,
  insertCampaign,
  insertCandidacy,
  insertConstituency,
  insertParty,
  insertPledgeByCampaign,
  buildAsk,
} from "../factories";
import { fixtureElectionDir, fixtureSeats } from "../fixture-election";
import { tokenIn } from "../links";

const t0 = new Date("2024-06-20T09:00:00Z");
const t1 = new Date("2024-06-21T12:30:00Z");

const hostileStatement = '=HYPERLINK("http://evil.example","click")';
const hostileName = "@Sandra Hebblethwaite";
const awkwardStatement = '+44 20 7946 0000, or write to me "care of" the office\nany time';

let ip = 0;
/** A supporter's ask through the real journey: submitted, then (unless told otherwise) confirmed from the mailed link. */
async function ask({
  constituencyCode,
  email,
  confirm = true,
}: {
  constituencyCode: string;
  email: string;
  confirm?: boolean;
}) {
  const candidacyIds = (await listAskableCandidates({ constituencyCode }))
    .filter((c) => !c.signedEveryPoint)
    .map((c) => c.id);
  const submitted = await submitAsk({
    ask: buildAsk({ constituencyCode, name: "Supporter Test", email, candidacyIds }),
    clientIp: `192.0.2.${++ip}`,
    now: t1,
  });
  expect(submitted.outcome).toBe("created");
  if (!confirm) return;
  const mail = (
    await db
      .select({ textBody: outbox.textBody })
      .from(outbox)
      .where(and(eq(outbox.toAddress, email), eq(outbox.kind, "ask-confirmation")))
      .limit(1)
  )[0];
  const token = tokenIn(mail?.textBody ?? "", "asks/confirm");
  expect(await confirmAsk({ token, now: t1 })).not.toBeNull();
}

/**
 * A known state: in Brackenby Vale a candidate in each status (one withdrawn), hostile text, and five
 * confirmed asks; in Wendlebury four candidates, two answers and too few asks to publish; and a Welsh
 * seat with no asks at all.
 */
async function setUp() {
  const campaign = await insertCampaign({ points: buildFourPoints() });
  const brackenby = await insertConstituency({ name: "Brackenby Vale" });
  const wendlebury = await insertConstituency({ name: "Wendlebury" });
  const welsh = await insertConstituency({ name: "Glynmawr and Afon Dŵr", nation: "Wales", gssCode: "W07009901" });
  const labour = await insertParty({ id: "PP53", name: "Labour Party" });
  const conservative = await insertParty({ id: "PP52", name: "Conservative and Unionist Party" });
  const libDem = await insertParty({ id: "PP90", name: "Liberal Democrats" });
  const reform = await insertParty({ id: "PP7931", name: "Reform UK" });
  const green = await insertParty({ id: "PP63", name: "Green Party" });
  const candidate = async (
    constituency: { gssCode: string; name: string },
    party: { id: string },
    fields: { name?: string; email?: string | null; status?: "standing" | "withdrawn" } = {},
  ) => insertCandidacy({ constituency, partyId: party.id, ...fields });

  const ruth = await candidate(brackenby, labour, { name: "Ruth Adeyemi", email: "ruth.adeyemi@example.net" });
  const edward = await candidate(brackenby, conservative, { email: "edward.fairbrother@example.org" });
  const felix = await candidate(brackenby, libDem, { email: "felix@example.net" });
  const sandra = await candidate(brackenby, reform, { name: hostileName });
  const zoe = await candidate(brackenby, green, { name: "Zoë Pembridge", status: "withdrawn" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3, 4], statement: hostileStatement, now: t1 });
  await insertPledgeByCampaign({
    personId: edward.personId,
    sign: [1, 2],
    decline: [3],
    statement: awkwardStatement,
    now: t1,
  });
  await insertPledgeByCampaign({ personId: felix.personId, decline: [1, 2, 3, 4], now: t1 });

  const wendleburyCandidates: Awaited<ReturnType<typeof candidate>>[] = [];
  for (const party of [labour, conservative, libDem, green]) {
    wendleburyCandidates.push(await candidate(wendlebury, party, { email: `${party.id.toLowerCase()}@example.org` }));
  }
  const [signer, someSigner] = wendleburyCandidates;
  await insertPledgeByCampaign({ personId: signer!.personId, sign: [1, 2, 3, 4], now: t0 });
  await insertPledgeByCampaign({ personId: someSigner!.personId, sign: [1], now: t0 });
  await candidate(welsh, labour, { email: "glynmawr@example.org" });

  for (let i = 1; i <= 5; i++) await ask({ constituencyCode: brackenby.gssCode, email: `brackenby${i}@example.org` });
  await ask({ constituencyCode: wendlebury.gssCode, email: "wendlebury1@example.org" });
  await ask({ constituencyCode: wendlebury.gssCode, email: "wendlebury2@example.org" });
  await ask({ constituencyCode: wendlebury.gssCode, email: "wendlebury3@example.org", confirm: false });
  return { campaign, brackenby, wendlebury, welsh, ruth, edward, felix, sandra, zoe };
}

async function csvRows(response: Response) {
  const text = await response.text();
  // Strict: a badly quoted field or a short row fails the test.
  return parse(text, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
}

type PledgesJson = {
  meta: Record<string, unknown> & {
    points: { position: number; title: string }[];
    attribution: Record<string, string>[];
  };
  data: {
    person_id: string;
    person_name: string;
    pledge_status: string;
    candidacy_status: string;
    points: { position: number; title: string; answer: string | null }[];
    statement: string | null;
    trust_mark: string | null;
    first_answered_at: string | null;
    updated_at: string | null;
  }[];
};

type ConstituenciesJson = {
  meta: Record<string, unknown>;
  data: Record<string, string | number | boolean | null>[];
};

test("pledges.csv has every candidacy once, a column per point, and the answers as recorded", async () => {
  const { brackenby, ruth, edward, felix, zoe } = await setUp();
  const response = await pledgesCsv();
  const text = await response.clone().text();
  expect(text.split("\r\n")[0]).toBe(
    "person_id,person_name,ballot_paper_id,election_id,gss_code,constituency_name,party_id,party_name,candidacy_status,pledge_status,point_1,point_2,point_3,point_4,statement,first_answered_at,updated_at,trust_mark",
  );
  const rows = await csvRows(response);
  const all = await db.select({ personId: candidacies.personId }).from(candidacies);
  expect(rows).toHaveLength(all.length);
  expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set(all.map((c) => c.personId)));

  const byPerson = (id: string) => rows.find((r) => r.person_id === id)!;
  expect(byPerson(ruth.personId)).toMatchObject({
    person_name: "Ruth Adeyemi",
    ballot_paper_id: "parl.brackenby-vale.2024-07-04",
    election_id: "parl.2024-07-04",
    gss_code: brackenby.gssCode,
    constituency_name: "Brackenby Vale",
    party_id: "PP53",
    party_name: "Labour Party",
    candidacy_status: "standing",
    pledge_status: "signed-all",
    point_1: "signed",
    point_2: "signed",
    point_3: "signed",
    point_4: "signed",
    first_answered_at: t1.toISOString(),
    updated_at: t1.toISOString(),
    trust_mark: "recorded-by-campaign",
  });
  expect(byPerson(edward.personId)).toMatchObject({
    pledge_status: "signed-some",
    point_1: "signed",
    point_2: "signed",
    point_3: "declined",
    point_4: "",
  });
  expect(byPerson(felix.personId)).toMatchObject({
    pledge_status: "declined",
    point_1: "declined",
    point_4: "declined",
    statement: "",
  });
  expect(byPerson(zoe.personId)).toMatchObject({
    candidacy_status: "withdrawn",
    pledge_status: "withdrawn",
    point_1: "",
    statement: "",
    first_answered_at: "",
    trust_mark: "",
  });
});

test("hostile cells come back through csv-parse intact but inert, and unchanged in the JSON", async () => {
  const { ruth, edward, sandra } = await setUp();
  const rows = await csvRows(await pledgesCsv());
  const csvRow = (id: string) => rows.find((r) => r.person_id === id)!;
  expect(csvRow(ruth.personId).statement).toBe(`'${hostileStatement}`);
  expect(csvRow(sandra.personId).person_name).toBe(`'${hostileName}`);
  expect(csvRow(edward.personId).statement).toBe(`'${awkwardStatement}`);
  // No cell of the CSV can start a formula.
  for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

  const json = (await (await pledgesJson()).json()) as PledgesJson;
  const jsonRow = (id: string) => json.data.find((r) => r.person_id === id)!;
  expect(jsonRow(ruth.personId).statement).toBe(hostileStatement);
  expect(jsonRow(sandra.personId).person_name).toBe(hostileName);
  expect(jsonRow(edward.personId).statement).toBe(awkwardStatement);
});

test("pledges.json holds the same records, its points titled, with attribution and field descriptions in meta", async () => {
  const { campaign, edward, zoe } = await setUp();
  const json = (await (await pledgesJson()).json()) as PledgesJson;
  expect(json.meta).toMatchObject({
    campaign: campaign.name,
    election_id: "parl.2024-07-04",
    documentation: "http://localhost:3000/data",
    licence: { url: "https://creativecommons.org/licenses/by-sa/4.0/" },
    points: campaign.points.map((p) => ({ position: p.position, title: p.title })),
  });
  expect(Date.parse(String(json.meta.generated_at))).not.toBeNaN();
  expect(json.meta.attribution).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        source: "Democracy Club",
        licence: "CC BY-SA 3.0",
        url: "https://candidates.democracyclub.org.uk/",
      }),
      expect.objectContaining({ source: "Office for National Statistics", licence: "Open Government Licence v3.0" }),
      expect.objectContaining({ source: "House of Commons Library", licence: "Open Parliament Licence v3.0" }),
      expect.objectContaining({ source: campaign.name, licence: "CC BY-SA 4.0" }),
    ]),
  );
  expect(Object.keys(json.meta.fields as object)).toEqual(
    expect.arrayContaining(["person_id", "points", "pledge_status", "trust_mark"]),
  );
  expect(Object.keys(json.meta.fields as object)).not.toContain("point_1, point_2, …");

  const rows = await csvRows(await pledgesCsv());
  expect(json.data.map((r) => r.person_id)).toEqual(rows.map((r) => r.person_id));
  for (const record of json.data) {
    const row = rows.find((r) => r.person_id === record.person_id)!;
    expect(record.points.map((p) => p.answer ?? "")).toEqual([row.point_1, row.point_2, row.point_3, row.point_4]);
    expect(record.points.map((p) => p.title)).toEqual(campaign.points.map((p) => p.title));
    expect(record.pledge_status).toBe(row.pledge_status);
    expect(record.trust_mark ?? "").toBe(row.trust_mark);
  }
  expect(json.data.find((r) => r.person_id === edward.personId)?.points.map((p) => p.answer)).toEqual([
    "signed",
    "signed",
    "declined",
    null,
  ]);
  expect(json.data.find((r) => r.person_id === zoe.personId)).toMatchObject({
    statement: null,
    trust_mark: null,
    first_answered_at: null,
  });
});

test("the files agree with the board and the map: each candidacy's status is listCandidacyStatuses()'s", async () => {
  await setUp();
  const json = (await (await pledgesJson()).json()) as PledgesJson;
  const statuses = await listCandidacyStatuses();
  expect(json.data.map((r) => [r.person_id, r.pledge_status])).toEqual(statuses.map((s) => [s.personId, s.status]));
});

test("constituencies.json counts standing candidates by status, and asks exactly at 5 or more, suppressed under 5", async () => {
  const { campaign, brackenby, wendlebury, welsh } = await setUp();
  const json = (await (await constituenciesJson()).json()) as ConstituenciesJson;
  expect(json.meta).toMatchObject({ campaign: campaign.name, election_id: "parl.2024-07-04" });
  expect(Object.keys(json.meta.fields as object)).toEqual(
    expect.arrayContaining(["gss_code", "asks", "asks_suppressed"]),
  );
  expect(json.data).toHaveLength(await countConstituencies());

  const seat = (code: string) => json.data.find((c) => c.gss_code === code);
  // Zoë Pembridge withdrew: four stand, one in each status. Five confirmed asks.
  expect(seat(brackenby.gssCode)).toEqual({
    gss_code: brackenby.gssCode,
    name: "Brackenby Vale",
    nation: "England",
    region_code: expect.stringMatching(/^E12/),
    region: expect.any(String),
    candidates: 4,
    signed: 1,
    signed_some: 1,
    declined: 1,
    no_answer: 1,
    asks: 5,
    asks_suppressed: false,
  });
  // Two confirmed asks (and one never confirmed): too few to publish.
  expect(seat(wendlebury.gssCode)).toMatchObject({
    candidates: 4,
    signed: 1,
    signed_some: 1,
    no_answer: 2,
    asks: null,
    asks_suppressed: true,
  });
  // No asks at all is suppressed the same way, so "none" and "a few" look alike.
  expect(seat(welsh.gssCode)).toMatchObject({ asks: null, asks_suppressed: true });

  const standing = (await listCandidacyStatuses()).filter((s) => s.standing);
  const sum = (key: string) => json.data.reduce((n, c) => n + Number(c[key]), 0);
  expect(sum("candidates")).toBe(standing.length);
  expect(sum("signed")).toBe(standing.filter((s) => s.status === "signed-all").length);
  for (const c of json.data) {
    expect(Number(c.signed) + Number(c.signed_some) + Number(c.declined) + Number(c.no_answer)).toBe(c.candidates);
  }
});

test("every file is sent with its type, public caching, open CORS and a link to its documentation", async () => {
  const { zoe } = await setUp();
  const csv = await pledgesCsv();
  expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="pledges.csv"');
  for (const response of [csv, await pledgesJson(), await constituenciesJson()]) {
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe(publicCacheControl);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Link")).toBe('</data>; rel="describedby"');
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  }
  expect((await pledgesJson()).headers.get("Content-Type")).toBe("application/json; charset=utf-8");
  expect((await constituenciesJson()).headers.get("Content-Type")).toBe("application/json; charset=utf-8");
  // The CSV's text survives the trip as UTF-8.
  const rows = await csvRows(await pledgesCsv());
  expect(rows.find((r) => r.person_id === zoe.personId)?.person_name).toBe("Zoë Pembridge");
});

test("before a campaign is set up, the files answer 404", async () => {
  for (const loader of [pledgesCsv, pledgesJson, constituenciesJson]) {
    const thrown = await Promise.resolve()
      .then(() => loader())
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  }
});

test("the sample loader records the pledges file as staff would: the fixture's 20 candidates across the nations, none in Brackenby Vale", async () => {
  await loadSampleElectionIfEmpty({ dir: fixtureElectionDir, now: t0 });
  const answered = (await listCandidacyStatuses()).filter((s) => s.status !== "no-answer");
  expect(answered).toHaveLength(20);
  expect(answered.filter((s) => s.constituencyCode === fixtureSeats.brackenbyVale)).toEqual([]);
  const count = (status: string) => answered.filter((s) => s.status === status).length;
  expect({ signedAll: count("signed-all"), signedSome: count("signed-some"), declined: count("declined") }).toEqual({
    signedAll: 10,
    signedSome: 6,
    declined: 4,
  });
  expect(new Set(answered.map((s) => s.nation))).toEqual(new Set(["England", "Scotland", "Wales", "Northern Ireland"]));
  expect(new Set(answered.map((s) => s.trustMark))).toEqual(new Set(["recorded-by-campaign"]));
  expect(new Set(answered.map((s) => s.firstAnsweredAt))).toEqual(new Set([t0.toISOString()]));
  const history = await db
    .select({ recordedBy: pledgeHistory.recordedBy, evidenceUrl: pledgeHistory.evidenceUrl })
    .from(pledgeHistory);
  expect(history).toHaveLength(20);
  for (const h of history) {
    expect(h.recordedBy).toBe("sample data");
    expect(h.evidenceUrl).toMatch(/^https:\/\/example\.org\//);
  }
});

/** A copy of the fixture election with a different pledges-sample.csv, loaded; returns the problems it must fail with. */
async function failedSampleLoad(pledgesCsvText: string): Promise<Problem[]> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-sample-"));
  cpSync(fixtureElectionDir, dir, { recursive: true });
  writeFileSync(join(dir, samplePledgesFile), pledgesCsvText);
  let problems: Problem[] | undefined;
  try {
    await loadSampleElectionIfEmpty({ dir, now: t0 });
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    problems = error.problems;
  }
  expect(problems, "the sample load should have failed").toBeDefined();
  // One transaction: nothing of the sample is kept, so the next start tries again.
  expect(await countConstituencies()).toBe(0);
  return problems ?? [];
}

const header = "person_id,sign,decline,statement,evidence_url,note\n";

test("a bad row in the sample pledges fails clearly, by file, line and column, and loads nothing", async () => {
  const problems = await failedSampleLoad(
    header +
      "900034,1;2;3;4,,,https://example.org/e,fine\n" +
      "900018,1;9,,,https://example.org/e,no point 9\n" +
      "900039,1 and 2,,,https://example.org/e,not a list\n" +
      "900304,1;2,,,javascript:alert(1),not a web link\n" +
      "900386,,,,https://example.org/e,nothing answered\n" +
      "900509,1;2,2,,https://example.org/e,both\n" +
      "900511,1,,,https://example.org/e,\n" +
      "900034,1,,,https://example.org/e,twice\n",
  );
  expect(problems).toEqual([
    {
      file: samplePledgesFile,
      line: 4,
      column: "sign",
      message: 'must be point numbers separated by ";", like 1;2;4 (got "1 and 2")',
    },
    {
      file: samplePledgesFile,
      line: 5,
      column: "evidence_url",
      message: 'must be a web address starting http:// or https:// (got "javascript:alert(1)")',
    },
    { file: samplePledgesFile, line: 8, column: "note", message: "say where the pledge was made" },
    { file: samplePledgesFile, line: 9, column: "person_id", message: 'duplicate "900034" (first seen on line 2)' },
    {
      file: samplePledgesFile,
      line: 3,
      column: "sign",
      message: "there is no point 9: the campaign has points 1 to 4",
    },
    { file: samplePledgesFile, line: 6, column: "sign", message: "give the points signed or declined (or both)" },
    { file: samplePledgesFile, line: 7, column: "decline", message: "point 2 is both signed and declined" },
  ]);
});

test("a sample pledge follows the rules a signed one does: http:// is a web address, and the statement is cleaned to plain text", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-sample-"));
  cpSync(fixtureElectionDir, dir, { recursive: true });
  writeFileSync(
    join(dir, samplePledgesFile),
    header + "900034,1;2,,I will\u0007 sign.,http://example.org/e,a letter\n",
  );

  await loadSampleElectionIfEmpty({ dir, now: t0 });

  expect(
    await db.select({ statement: pledgeHistory.statement, evidenceUrl: pledgeHistory.evidenceUrl }).from(pledgeHistory),
  ).toEqual([{ statement: "I will sign.", evidenceUrl: "http://example.org/e" }]);
});

test("a sample pledge for someone not on the ballot names the line and the person_id", async () => {
  const problems = await failedSampleLoad(
    header + "900034,1;2;3;4,,,https://example.org/e,fine\n" + "999999,1,,,https://example.org/e,who?\n",
  );
  expect(problems).toEqual([
    {
      file: samplePledgesFile,
      line: 3,
      column: "person_id",
      message: 'no candidate has this person id in parl.2024-07-04 (got "999999")',
    },
  ]);
});
