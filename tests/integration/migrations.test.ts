// A migration runs on databases full of real pledges, asks and mail. SQLite
// changes a column only by rebuilding its table, so each rebuilding migration
// is tried here on a database holding a row in every table, made at the
// migration before it.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { closeDb, createDb, migrateDb, type Db, writeTransaction } from "#db/index";

const migrationsFolder = join(import.meta.dirname, "../../db/migrations");

/** A migrations folder holding the committed migrations up to and including `last` (its tag). */
function migrationsUpTo(last: string) {
  const folder = join(mkdtempSync(join(tmpdir(), "pledge-migrations-")), "migrations");
  mkdirSync(join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((entry) => entry.tag === last);
  expect(upTo).toBeGreaterThanOrEqual(0);
  const entries = journal.entries.slice(0, upTo + 1);
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(folder, `${tag}.sql`));
  return folder;
}

/** A database migrated up to and including migration `last` (its tag, e.g. "0005_postcode_generations"). */
async function databaseAt(last: string): Promise<Db> {
  const db = createDb(join(mkdtempSync(join(tmpdir(), "pledge-migrations-")), "test.sqlite"));
  await migrateDb(db, { folder: migrationsUpTo(last) });
  return db;
}

function tableNames(db: Db) {
  return (
    db.$client
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
}

/** Every row of every table, in a stable order. */
function everyRow(db: Db) {
  return Object.fromEntries(
    tableNames(db).map((name) => [
      name,
      (db.$client.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );
}

function schemaObjects(db: Db, type: "index" | "trigger") {
  return (
    db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all(type) as { name: string }[]
  ).map((o) => o.name);
}

const at = "2024-06-20T10:00:00.000Z";

/** A row in every table at migration 0005, written as that schema stood. */
async function fillAt0005(db: Db) {
  await writeTransaction(db, () =>
    db.$client.exec(`
    INSERT INTO elections (id, date, name, created_at, updated_at) VALUES ('parl.2024-07-04', '2024-07-04', 'UK general election', '${at}', '${at}');
    INSERT INTO constituencies (gss_code, name, name_cy, slug, nation, region_code, region_name, electorate, source, created_at, updated_at)
      VALUES ('E14000001', 'Ashbourne', NULL, 'ashbourne', 'England', 'E12000004', 'East Midlands', 70000, 'hoc.csv', '${at}', '${at}');
    INSERT INTO parties (id, name, source, created_at, updated_at) VALUES ('PP53', 'Labour Party', 'dc.csv', '${at}', '${at}');
    INSERT INTO candidacies (id, election_id, person_id, name, party_id, ballot_paper_id, constituency_code, email, homepage_url, links, statement, status, source, created_at, updated_at)
      VALUES (1, 'parl.2024-07-04', '900001', 'Ruth Adeyemi', 'PP53', 'parl.ashbourne.2024-07-04', 'E14000001', 'ruth@example.net', NULL, '{"twitter_username":"ruth"}', 'Hello', 'standing', 'dc.csv', '${at}', '${at}');
    INSERT INTO hex_layouts (id, layout, source, created_at, updated_at) VALUES ('uk', 'odd-r', 'uk.hexjson', '${at}', '${at}');
    INSERT INTO hexes (layout_id, constituency_code, q, r) VALUES ('uk', 'E14000001', 3, 4);
    INSERT INTO import_runs (kind, file_name, sha256, dry_run, rows, added, updated, withdrawn, removed, unchanged, started_at, finished_at)
      VALUES ('dc-candidates', 'dc.csv', 'abc', 0, 1, 1, 0, 0, 0, 0, '${at}', '${at}');
    INSERT INTO campaigns (id, slug, name, summary, election_id, from_email, ask_hourly_cap, wording_variants, message_prompts, created_at, updated_at)
      VALUES (1, 'rally', 'Rally', 'A summary', 'parl.2024-07-04', 'team@example.org', 20, '[]', '["Why?"]', '${at}', '${at}');
    INSERT INTO pledge_points (id, campaign_id, position, title, body) VALUES (1, 1, 1, 'Point one', 'Body');
    INSERT INTO postcodes (postcode, generation, constituency_code, terminated_on, removed) VALUES ('AB1 2CD', 1, 'E14000001', NULL, 0);
    INSERT INTO postcode_directory (id, generation, updated_at) VALUES (1, 1, '${at}');
    INSERT INTO postcode_import_claims (id, generation, pid, host, started_at) VALUES (1, 2, 1234, 'host', '${at}');
    INSERT INTO asks (id, election_id, constituency_code, name, email, postcode, personal_message, wording_id, show_on_public_list, wants_updates, status, token_hash, token_expires_at, reminder_sent_at, confirmed_at, created_at)
      VALUES (1, 'parl.2024-07-04', 'E14000001', 'Rajan Nair', 'rajan@example.org', 'AB1 2CD', 'Please', 'plain', 1, 1, 'confirmed', NULL, NULL, NULL, '${at}', '${at}'),
             (2, 'parl.2024-07-04', 'E14000001', 'Gone Soon', 'gone@example.org', 'AB1 2CD', NULL, 'plain', 0, 0, 'pending', 'hash-2', '${at}', NULL, NULL, '${at}');
    INSERT INTO outbox (id, kind, to_address, to_name, reply_to, subject, text_body, message_id, status, attempts, next_attempt_at, last_error, sent_at, ask_id, candidacy_id, created_at)
      VALUES (1, 'candidate-ask', 'ruth@example.net', 'Ruth Adeyemi', 'rajan@example.org', 'Please sign', 'Body', '<outbox.1@localhost>', 'sent', 1, '${at}', NULL, '${at}', 1, 1, '${at}'),
             (2, 'ask-confirmation', 'gone@example.org', 'Gone Soon', NULL, 'Confirm', 'Body', '<outbox.2@localhost>', 'sent', 1, '${at}', NULL, '${at}', 2, NULL, '${at}');
    INSERT INTO ask_recipients (ask_id, candidacy_id, delivery, outbox_id, notified_at) VALUES (1, 1, 'mail', 1, NULL);
    INSERT INTO mailbox (id, outbox_id, message_id, from_address, to_address, reply_to, subject, text_body, raw, delivered_at)
      VALUES (1, 1, '<outbox.1@localhost>', 'team@example.org', 'ruth@example.net', 'rajan@example.org', 'Please sign', 'Body', 'raw', '${at}'),
             (2, 999, '<outbox.999@localhost>', 'team@example.org', 'old@example.org', NULL, 'Old', 'Body', 'raw', '${at}');
    INSERT INTO rate_limits (key, window_start, count) VALUES ('ask-ip:abc:60000', '${at}', 2);
    INSERT INTO signing_tokens (id, candidacy_id, token_hash, sent_to, expires_at, revoked_at, created_at) VALUES (1, 1, 'token-hash', 'ruth@example.net', '${at}', NULL, '${at}');
    INSERT INTO pledges (candidacy_id, statement, trust_mark, evidence_url, first_answered_at, updated_at) VALUES (1, 'I sign', 'verified-by-email', NULL, '${at}', '${at}');
    INSERT INTO pledge_point_answers (candidacy_id, point_id, answer, answered_at) VALUES (1, 1, 'signed', '${at}');
    INSERT INTO pledge_history (id, candidacy_id, answers, statement, trust_mark, evidence_url, note, recorded_by, created_at)
      VALUES (1, 1, '{"1":"signed"}', 'I sign', 'verified-by-email', NULL, NULL, 'candidate', '${at}');
    INSERT INTO audit_log (id, actor, action, subject, details, created_at) VALUES (1, 'Sam Staff', 'record-pledge', 'candidacy:1', '{}', '${at}');
    INSERT INTO app_secrets (name, value, created_at) VALUES ('form-stamp', 'secret', '${at}');
  `),
  );
  // The newest ask and its mail were deleted (as an unconfirmed ask is after
  // its week): their ids must not come back.
  await writeTransaction(db, () => db.$client.exec("DELETE FROM outbox WHERE id = 2; DELETE FROM asks WHERE id = 2;"));
}

test("migration 0006 keeps every row of a database made at 0005, its indexes and the append-only triggers", async () => {
  const db = await databaseAt("0005_postcode_generations");
  await fillAt0005(db);
  const before = everyRow(db);
  const indexes = schemaObjects(db, "index");
  const triggers = schemaObjects(db, "trigger");
  expect(triggers).toEqual([
    "audit_log_no_delete",
    "audit_log_no_update",
    "pledge_history_no_delete",
    "pledge_history_no_update",
  ]);

  await migrateDb(db, { folder: migrationsUpTo("0006_schema_conventions") });

  // Every row is kept as it was; the one mailbox message whose mail had gone
  // from the outbox loses only the dangling reference.
  const dangling = (rows: string[]) => rows.map((row) => row.replace('"outbox_id":999', '"outbox_id":null'));
  expect(everyRow(db)).toEqual({ ...before, mailbox: dangling(before.mailbox!) });
  expect(schemaObjects(db, "index")).toEqual([...indexes, "campaigns_slug_unique"].sort());
  expect(schemaObjects(db, "trigger")).toEqual(triggers);
  expect(db.$client.pragma("foreign_key_check")).toEqual([]);
  expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);

  await expect(
    writeTransaction(db, () => db.$client.exec("UPDATE pledge_history SET statement = 'changed'")),
  ).rejects.toThrow("append-only");
  await expect(writeTransaction(db, () => db.$client.exec("DELETE FROM audit_log"))).rejects.toThrow("append-only");

  // Ids are not reused: the next ask and mail come after the deleted ones.
  const ask = (await writeTransaction(db, () =>
    db.$client
      .prepare(
        "INSERT INTO asks (election_id, constituency_code, name, email, postcode, wording_id, show_on_public_list, wants_updates) " +
          "VALUES ('parl.2024-07-04', 'E14000001', 'New One', 'new@example.org', 'AB1 2CD', 'plain', 0, 0) RETURNING id, created_at",
      )
      .get(),
  )) as { id: number; created_at: string };
  expect(ask.id).toBe(3);
  // A write that leaves the time out gets one in the same form as the app writes.
  expect(ask.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  // Deleting a mail from the outbox deletes its local copy.
  await writeTransaction(db, () => db.$client.exec("DELETE FROM ask_recipients; DELETE FROM outbox WHERE id = 1"));
  expect(db.$client.prepare("SELECT id FROM mailbox ORDER BY id").all()).toEqual([{ id: 2 }]);

  // A second campaign with the same slug is refused.
  await expect(
    writeTransaction(db, () =>
      db.$client.exec(
        `INSERT INTO campaigns (id, slug, name, summary, election_id, from_email) VALUES (2, 'rally', 'Again', 'S', 'parl.2024-07-04', 'x@example.org')`,
      ),
    ),
  ).rejects.toThrow(/UNIQUE/);
  await closeDb(db);
});

test("every migration applies to an empty database and leaves each foreign key on", async () => {
  const db = createDb(join(mkdtempSync(join(tmpdir(), "pledge-migrations-")), "empty.sqlite"));
  await migrateDb(db);
  const applied = db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  expect(applied.n).toBe(readdirSync(migrationsFolder).filter((file) => file.endsWith(".sql")).length);
  expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  await closeDb(db);
});
