// The transaction layer (db/index.ts): async transactions that never
// interleave, savepoints for nested writes, reads outside a transaction that
// see only what is committed, and group commit sharing one commit (and so one
// fsync) between the requests of the same moment.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, test } from "vitest";
import { closeDb, createDb, groupCommit, readTransaction, withWriter, writeTransaction, type Db } from "#db/index";

const opened: Db[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await closeDb(db);
});

async function freshDb() {
  const file = join(mkdtempSync(join(tmpdir(), "pledge-transactions-")), "test.sqlite");
  const db = createDb(file);
  opened.push(db);
  await withWriter(db, (client) => {
    // Only what the test does checkpoints, so the WAL's frames can be counted.
    client.pragma("wal_autocheckpoint = 0");
    client.exec("create table notes (body text not null)");
    client.exec("create table counters (name text primary key, n integer not null)");
    client.exec("insert into counters values ('hits', 0)");
  });
  return { db, file };
}

function insert(db: Db, body: string) {
  // As a model does: its own write transaction, which becomes a savepoint inside the group's.
  return writeTransaction(db, () =>
    Number(db.$client.prepare("insert into notes (body) values (?)").run(body).lastInsertRowid),
  );
}

function notes(db: Db) {
  return db.$client.prepare("select body from notes order by rowid").pluck().all();
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Frames written to the WAL since it was last emptied, and empties it. */
function walFramesSinceLast(db: Db) {
  return withWriter(db, (client) => {
    const [result] = client.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
    client.pragma("wal_checkpoint(TRUNCATE)");
    return result!.log;
  });
}

test("two write transactions that await between reading and writing never interleave", async () => {
  const { db } = await freshDb();
  const readHits = () => db.$client.prepare("select n from counters where name = 'hits'").pluck().get() as number;
  // Read, wait a real turn of the event loop (as a model awaiting another
  // query, or a slow disk, might), then write what was read plus one. Were the
  // second transaction to start before the first committed, both would read 0
  // and the counter would end at 1, and the first would see the second's write.
  const increment = (who: string, seen: string[]) =>
    writeTransaction(db, async () => {
      const before = readHits();
      seen.push(`${who} read ${before}`);
      await nextTurn();
      await nextTurn();
      db.$client.prepare("update counters set n = ? where name = 'hits'").run(before + 1);
      seen.push(`${who} wrote ${before + 1}`);
    });

  const seen: string[] = [];
  await Promise.all([increment("a", seen), increment("b", seen), increment("c", seen)]);

  expect(seen).toEqual(["a read 0", "a wrote 1", "b read 1", "b wrote 2", "c read 2", "c wrote 3"]);
  expect(readHits()).toBe(3);
});

test("outside a transaction, code reads what is committed, never another's work in progress, and cannot write", async () => {
  const { db } = await freshDb();
  let seenDuring: unknown[] = [];
  const writing = writeTransaction(db, async () => {
    await insert(db, "not yet committed");
    await nextTurn();
    await nextTurn();
  });
  await nextTurn();
  // While the transaction above waits, another request's read runs.
  seenDuring = notes(db);
  await writing;

  expect(seenDuring).toEqual([]);
  expect(notes(db)).toEqual(["not yet committed"]);
  expect(() => db.$client.prepare("insert into notes (body) values ('stray')").run()).toThrow(/readonly/);
});

test("a nested write that throws is undone alone; one that is awaited by a failing transaction goes with it", async () => {
  const { db } = await freshDb();

  await writeTransaction(db, async () => {
    await insert(db, "kept");
    await expect(
      writeTransaction(db, async () => {
        await insert(db, "undone with its savepoint");
        throw new Error("nested failure");
      }),
    ).rejects.toThrow("nested failure");
  });
  await expect(
    writeTransaction(db, async () => {
      await insert(db, "undone with its transaction");
      throw new Error("outer failure");
    }),
  ).rejects.toThrow("outer failure");

  expect(notes(db)).toEqual(["kept"]);
});

test("a read transaction sees one moment, however long it waits, and refuses writes", async () => {
  const { db } = await freshDb();
  await insert(db, "before");
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reading = readTransaction(db, async () => {
    const first = notes(db);
    await gate;
    return [first, notes(db)];
  });
  await nextTurn();
  await insert(db, "committed meanwhile");
  release();

  expect(await reading).toEqual([["before"], ["before"]]);
  expect(notes(db)).toEqual(["before", "committed meanwhile"]);
  await expect(readTransaction(db, () => insert(db, "refused"))).rejects.toThrow(
    "a write inside a read-only transaction",
  );
});

test("writes made together share one commit", async () => {
  const { db } = await freshDb();
  await walFramesSinceLast(db);
  await writeTransaction(db, async () => {
    for (const body of ["a", "b", "c"]) await insert(db, body);
  });
  const oneTransaction = await walFramesSinceLast(db);
  for (const body of ["d", "e", "f"]) await insert(db, body);
  const threeTransactions = await walFramesSinceLast(db);

  await Promise.all(["g", "h", "i"].map((body) => groupCommit(db, () => insert(db, body))));

  expect(await walFramesSinceLast(db)).toBe(oneTransaction);
  expect(threeTransactions).toBeGreaterThan(oneTransaction);
  expect(notes(db)).toHaveLength(9);
});

test("each write resolves with its own result once committed, visible to another connection", async () => {
  const { db, file } = await freshDb();
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
  const { db } = await freshDb();

  const results = await Promise.allSettled([
    groupCommit(db, () => insert(db, "kept before")),
    groupCommit(db, async () => {
      await insert(db, "rolled back");
      throw new Error("over the limit");
    }),
    groupCommit(db, () => insert(db, "kept after")),
  ]);

  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("over the limit"));
  expect(notes(db)).toEqual(["kept before", "kept after"]);
});
