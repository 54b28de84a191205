// The write path under a spike (db/index.ts): group commit shares one commit,
// and so one fsync, between the requests of the same moment.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, test } from "vitest";
import { createDb, groupCommit, writeTransaction, type Db } from "#db/index";

const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.$client.close();
});

function freshDb() {
  const file = join(mkdtempSync(join(tmpdir(), "pledge-group-commit-")), "test.sqlite");
  const db = createDb(file);
  opened.push(db);
  // Only what the test does checkpoints, so the WAL's frames can be counted.
  db.$client.pragma("wal_autocheckpoint = 0");
  db.$client.exec("create table notes (body text not null)");
  return { db, file };
}

function insert(db: Db, body: string) {
  // As a model does: its own write transaction, which becomes a savepoint inside the group's.
  return writeTransaction(
    db,
    () => db.$client.prepare("insert into notes (body) values (?)").run(body).lastInsertRowid,
  );
}

/** Frames written to the WAL since it was last emptied, and empties it. */
function walFramesSinceLast(db: Db) {
  const [result] = db.$client.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  return result!.log;
}

test("writes made together share one commit", async () => {
  const { db } = freshDb();
  walFramesSinceLast(db);
  writeTransaction(db, () => ["a", "b", "c"].forEach((body) => insert(db, body)));
  const oneTransaction = walFramesSinceLast(db);
  ["d", "e", "f"].forEach((body) => insert(db, body));
  const threeTransactions = walFramesSinceLast(db);

  await Promise.all(["g", "h", "i"].map((body) => groupCommit(db, () => insert(db, body))));

  expect(walFramesSinceLast(db)).toBe(oneTransaction);
  expect(threeTransactions).toBeGreaterThan(oneTransaction);
  expect(db.$client.prepare("select count(*) from notes").pluck().get()).toBe(9);
});

test("each write resolves with its own result once committed, visible to another connection", async () => {
  const { db, file } = freshDb();
  const other = new Database(file, { readonly: true });
  try {
    const seen = await Promise.all(
      ["first", "second"].map((body) =>
        groupCommit(db, () => insert(db, body)).then((id) =>
          other.prepare("select body from notes where rowid = ?").pluck().get(id),
        ),
      ),
    );
    expect(seen).toEqual(["first", "second"]);
  } finally {
    other.close();
  }
});

test("a write that throws is rolled back and rejected alone; the others in its group commit", async () => {
  const { db } = freshDb();

  const results = await Promise.allSettled([
    groupCommit(db, () => insert(db, "kept before")),
    groupCommit(db, () => {
      insert(db, "rolled back");
      throw new Error("over the limit");
    }),
    groupCommit(db, () => insert(db, "kept after")),
  ]);

  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("over the limit"));
  expect(db.$client.prepare("select body from notes order by rowid").pluck().all()).toEqual([
    "kept before",
    "kept after",
  ]);
});
