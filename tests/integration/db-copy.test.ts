// `npm run db:copy -- --to postgres://…` (issue 14): a SQLite campaign into an
// empty PostgreSQL database, all or nothing, each table's count and checksum
// compared on both sides.
import { writeTransaction } from "#db/index";
import { engine } from "#db/engine";
import { execFile } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { copyPlan, copyToPostgres } from "#db/copy-to-postgres";
import { candidacies } from "#db/schema";
import { eq } from "drizzle-orm";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { startPostgresCluster, type PostgresCluster } from "../../scripts/postgres-cluster";
import { skipWithoutPostgres } from "../postgres";
import {
  buildFourPoints,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertHexLayout,
  insertParty,
  insertPledgeByCampaign,
} from "../factories";

test("the copy's order puts every table after the tables it refers to", () => {
  const plan = copyPlan();
  const at = (name: string) => plan.findIndex((t) => t.name === name);
  expect(at("elections")).toBeLessThan(at("candidacies"));
  expect(at("constituencies")).toBeLessThan(at("candidacies"));
  expect(at("asks")).toBeLessThan(at("ask_recipients"));
  expect(at("candidacies")).toBeLessThan(at("pledge_history"));
  expect(new Set(plan.map((t) => t.name)).size).toBe(plan.length);
  expect(plan.find((t) => t.name === "ask_recipients")!.key).toEqual(["ask_id", "candidacy_id"]);
});

// It copies the app's SQLite database: on a run over PostgreSQL (DATABASE_URL)
// there is none to copy, and the other tests here prove the copy itself.
const skip = engine === "postgres" || skipWithoutPostgres("the db:copy tests");

describe.skipIf(skip)("into PostgreSQL", () => {
  let cluster: PostgresCluster;
  let admin: pg.Client;
  let target: string;
  let databases = 0;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await cluster?.stop();
  });

  // An empty database for each test, and a small campaign in SQLite.
  beforeEach(async () => {
    const name = `copy_${++databases}`;
    await admin.query(`create database ${name}`);
    target = cluster.url.replace(/\/postgres$/, `/${name}`);

    await insertCampaign({ points: buildFourPoints() });
    const seat = await insertConstituency({ name: "Brackenby Vale" });
    await insertHexLayout({ hexes: [{ constituencyCode: seat.gssCode, q: 0, r: 0 }] });
    const party = (await insertParty({ id: "PP53", name: "Labour Party" })).id;
    const ruth = await insertCandidacy({ constituency: seat, partyId: party, name: "Ruth Adeyemi" });
    await insertCandidacy({ constituency: seat, partyId: party, name: "Tom Featherstone" });
    await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3], decline: [4], statement: "Yes, mostly." });
    await insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: [ruth.id],
      showOnPublicList: true,
      wantsUpdates: true,
    });
  });

  async function query<T extends pg.QueryResultRow>(sql: string) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  const sqliteCount = (table: string) =>
    (db.$client.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;

  test("every table arrives with the same rows, booleans and JSON as PostgreSQL's own, and numbering goes on after the copied ids", async () => {
    const lines: string[] = [];
    const copied = await copyToPostgres({ from: env.DATABASE_PATH, to: target, progress: (l) => lines.push(l) });
    expect(copied.map((t) => t.table).sort()).toEqual(
      copyPlan()
        .map((t) => t.name)
        .sort(),
    );
    for (const t of copied) expect(t.rows, t.table).toBe(sqliteCount(t.table));
    expect(copied.filter((t) => t.rows > 0).length).toBeGreaterThan(10);
    expect(lines).toHaveLength(copied.length);
    expect(lines.find((l) => l.startsWith("pledge_history:"))).toMatch(
      /^pledge_history: \d+ rows, checksum [0-9a-f]{12}, the same on both$/,
    );

    const [ask] = await query<{ show_on_public_list: boolean; hold_reasons: unknown }>(
      "select show_on_public_list, hold_reasons from asks",
    );
    expect(ask).toEqual({ show_on_public_list: true, hold_reasons: [] });
    const [candidacy] = await query<{ name: string }>("select name from candidacies order by id limit 1");
    expect(candidacy!.name).toBe("Ruth Adeyemi");

    const maxId = Math.max(...(await db.select({ id: candidacies.id }).from(candidacies)).map((c) => c.id));
    const [added] = await query<{ id: number }>(
      `insert into candidacies (election_id, person_id, name, party_id, ballot_paper_id, constituency_code, source)
       select election_id, 'new-person', 'New Person', party_id, ballot_paper_id, constituency_code, source from candidacies limit 1
       returning id`,
    );
    expect(added!.id).toBe(maxId + 1);
  });

  test("the app may go on writing: the copy is of one moment, and a row written meanwhile is not half-copied", async () => {
    const plan = copyPlan().map((t) => t.name);
    expect(plan.indexOf("rate_limits")).toBeGreaterThan(0);
    const before = sqliteCount("rate_limits");
    let wrote: Promise<unknown> | undefined;
    const copied = await copyToPostgres({
      from: env.DATABASE_PATH,
      to: target,
      // After the first table, before rate_limits: a request counted, as the running app would.
      // (It commits before the copy's next query to PostgreSQL comes back.)
      // progress is synchronous: the write is started, not awaited, here (and only once).
      progress: () => {
        wrote ??= writeTransaction(db, () =>
          db.$client
            .prepare("insert into rate_limits (key, window_start, count) values ('ask:during-copy', ?, 1)")
            .run(new Date().toISOString()),
        );
      },
    });
    await wrote;
    expect(sqliteCount("rate_limits")).toBe(before + 1);
    expect(copied.find((t) => t.table === "rate_limits")!.rows).toBe(before);
    expect(await query("select key from rate_limits where key = 'ask:during-copy'")).toEqual([]);
  });

  test("a row PostgreSQL refuses names its table and key, and nothing is copied", async () => {
    // SQLite keeps a NUL character in text; PostgreSQL's text never holds one.
    const tom = (await db.select().from(candidacies).where(eq(candidacies.name, "Tom Featherstone")).limit(1))[0]!;
    await writeTransaction(db, () =>
      db.update(candidacies).set({ statement: "Before\u0000after" }).where(eq(candidacies.id, tom.id)),
    );
    await expect(copyToPostgres({ from: env.DATABASE_PATH, to: target })).rejects.toThrow(
      new RegExp(`^candidacies \\(id=${tom.id}\\): PostgreSQL refused the row: .*0x00`),
    );
    for (const table of ["elections", "constituencies", "candidacies", "pledge_history", "asks"]) {
      expect(await query(`select 1 from ${table}`), table).toEqual([]);
    }
    // The wordings its migration seeded are back as they were.
    expect(await query("select purpose from consent_texts")).toHaveLength(3);
  });

  test("a database that already holds a campaign is refused, and left as it was", async () => {
    await copyToPostgres({ from: env.DATABASE_PATH, to: target });
    const before = await query("select count(*)::int as n from candidacies");
    await expect(copyToPostgres({ from: env.DATABASE_PATH, to: target })).rejects.toThrow(
      /already holds a campaign \(rows in .*candidacies.*\): copy into an empty one/,
    );
    expect(await query("select count(*)::int as n from candidacies")).toEqual(before);
  });

  test("npm run db:copy says what it copied, and never says the password back", async () => {
    const withPassword = target.replace("postgres@", "postgres:not-needed@");
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/db-copy.ts", "--to", withPassword],
        { env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH }, encoding: "utf8", timeout: 90_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Copied .* into postgres:\/\/postgres@127\.0\.0\.1:\d+\/copy_\d+: \d+ tables, [\d,]+ rows, each table's count and checksum the same on both\.$/m,
    );
    expect(result.stdout).not.toContain("not-needed");
  }, 120_000);
});
