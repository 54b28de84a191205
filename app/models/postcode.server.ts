import { and, desc, eq, lte, max, sql, type SQL } from "drizzle-orm";
import {
  changedRows,
  engineOf,
  openPostgresSession,
  preparedPerConnection,
  queryRows,
  withWriter,
  writeTransaction,
} from "#db/index";
import { constituencies, importRuns, postcodeDirectory, postcodeImportClaims, postcodes } from "#db/schema";
import { db } from "~/utils/db.server";

// The generation lookups read (postcode_directory, id 1; 0 before any import),
// as text for the raw statements and as a fragment for drizzle's.
const generationSql = "coalesce((SELECT generation FROM postcode_directory WHERE id = 1), 0)";
const currentGeneration = sql`coalesce((select ${postcodeDirectory.generation} from ${postcodeDirectory} where ${postcodeDirectory.id} = 1), 0)`;

function prepareFindPostcode() {
  return (
    db
      .select({
        postcode: postcodes.postcode,
        constituencyCode: postcodes.constituencyCode,
        terminatedOn: postcodes.terminatedOn,
        removed: postcodes.removed,
        // Left join: ONSPD's code may be a pseudo-code (L99999999) or a
        // constituency this installation has not imported; drizzle makes the
        // object null when there is no match.
        constituency: {
          gssCode: constituencies.gssCode,
          name: constituencies.name,
          slug: constituencies.slug,
        },
      })
      .from(postcodes)
      .leftJoin(constituencies, eq(constituencies.gssCode, postcodes.constituencyCode))
      // The newest row at or below the current generation: one statement, so it
      // sees one committed directory even while an import writes the next.
      .where(and(eq(postcodes.postcode, sql.placeholder("postcode")), lte(postcodes.generation, currentGeneration)))
      .orderBy(desc(postcodes.generation))
      .limit(1)
      .prepare()
  );
}

// Every postcode search runs this, so it is prepared once (drizzle builds and
// SQLite compiles a query anew on every call: ~100 µs, against ~14 µs to run
// it prepared). Prepared on first use rather
// than at import, because SQLite refuses to prepare against tables that a
// fresh database has not been migrated to create yet.
const findPostcodeStatement = preparedPerConnection(db, prepareFindPostcode);

/** One row of the imported directory with its constituency, or undefined. `postcode` must be normalised. */
export async function findPostcode({ postcode }: { postcode: string }) {
  const [row] = await findPostcodeStatement().execute({ postcode });
  if (!row || row.removed) return undefined;
  const { removed: _removed, ...found } = row;
  return found;
}

/**
 * The id of the last postcode import written. The difference an import writes
 * is worked out before it takes the write lock, so it checks this has not
 * moved in between (another import finishing first).
 */
export async function findLastPostcodeImportId() {
  return (
    (
      await db
        .select({ id: max(importRuns.id) })
        .from(importRuns)
        .where(eq(importRuns.kind, "onspd-postcodes"))
        .limit(1)
    )[0]?.id ?? null
  );
}

// The rows lookups read now: for each postcode its newest row at or below the
// current generation, unless that row marks it removed. The same SQL on both engines.
const currentRows = sql.raw(
  `FROM postcodes p
   WHERE p.generation <= ${generationSql} AND NOT p.removed
     AND NOT EXISTS (SELECT 1 FROM postcodes n WHERE n.postcode = p.postcode AND n.generation > p.generation AND n.generation <= ${generationSql})`,
);

/** How many postcodes lookups can find now. */
export async function countPostcodes() {
  // PostgreSQL's count(*) is a bigint, which node-postgres gives as a string.
  const [row] = await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n ${currentRows}`);
  return Number(row?.n ?? 0);
}

/** The current directory's postcodes with their rows, in order: for tests and checks, not for pages. */
export async function listCurrentPostcodes() {
  // Quoted: PostgreSQL folds unquoted names to lower case.
  return queryRows<{ postcode: string; constituencyCode: string | null; terminatedOn: string | null }>(
    db,
    sql`SELECT p.postcode, p.constituency_code AS "constituencyCode", p.terminated_on AS "terminatedOn" ${currentRows}
        ORDER BY p.postcode`,
  );
}

export type PostcodeImportClaim = { generation: number; base: number };
export type PostcodeImportHolder = { pid: number; host: string; startedAt: string };

/**
 * Claims the right to write the next generation, in one short write
 * transaction: at most one import writes at a time, or their rows would mix.
 * A claim left by an import that died (`isAbandoned` says so) is taken over.
 * Returns the claim, or who holds it.
 */
export async function claimPostcodeImport({
  pid,
  host,
  now,
  isAbandoned,
}: {
  pid: number;
  host: string;
  now: Date;
  isAbandoned: (holder: PostcodeImportHolder) => boolean;
}): Promise<{ claim: PostcodeImportClaim } | { heldBy: PostcodeImportHolder }> {
  return writeTransaction(db, async () => {
    await takeClaimsInTurn();
    const held = (
      await db
        .select({
          pid: postcodeImportClaims.pid,
          host: postcodeImportClaims.host,
          startedAt: postcodeImportClaims.startedAt,
        })
        .from(postcodeImportClaims)
        .where(eq(postcodeImportClaims.id, 1))
        .limit(1)
    )[0];
    if (held && !isAbandoned(held)) return { heldBy: held };
    if (held) await db.delete(postcodeImportClaims).where(eq(postcodeImportClaims.id, 1));
    const base = await readGeneration();
    // Above every generation ever written, abandoned ones included, so no
    // leftover row can pass for one of this import's.
    const highest =
      (
        await db
          .select({ g: max(postcodes.generation) })
          .from(postcodes)
          .limit(1)
      )[0]?.g ?? 0;
    const generation = Math.max(base, highest) + 1;
    await db.insert(postcodeImportClaims).values({ id: 1, generation, pid, host, startedAt: now.toISOString() });
    return { claim: { generation, base } };
  });
}

/**
 * On PostgreSQL, under READ COMMITTED, two imports claiming at once could both
 * find no holder, or one publish while another takes its claim over: this lock
 * (until the transaction ends) makes them take turns, as SQLite's one writer
 * does. Reads of the table are not held up.
 */
async function takeClaimsInTurn() {
  if (engineOf(db) !== "postgres") return;
  await queryRows(db, sql`LOCK TABLE postcode_import_claims IN SHARE ROW EXCLUSIVE MODE`);
}

/** Gives the claim up (the import finished or failed). */
export async function releasePostcodeImport({ generation }: { generation: number }) {
  await writeTransaction(db, async () => {
    await db
      .delete(postcodeImportClaims)
      .where(and(eq(postcodeImportClaims.id, 1), eq(postcodeImportClaims.generation, generation)));
  });
}

/** The generation lookups read now. */
export async function findPostcodeGeneration() {
  return readGeneration();
}

async function readGeneration() {
  return (
    (
      await db
        .select({ g: postcodeDirectory.generation })
        .from(postcodeDirectory)
        .where(eq(postcodeDirectory.id, 1))
        .limit(1)
    )[0]?.g ?? 0
  );
}

/**
 * Deletes up to `limit` rows that imports which never finished wrote above
 * the current generation, in one short write transaction; returns how many.
 * Call while holding the claim, until it returns 0.
 */
export async function deleteUnpublishedPostcodes({ limit }: { limit: number }) {
  if (engineOf(db) === "postgres") {
    // By key: PostgreSQL has no rowid, and DELETE takes no LIMIT.
    return writeTransaction(db, async () =>
      changedRows(
        await db
          .delete(postcodes)
          .where(
            sql`(${postcodes.postcode}, ${postcodes.generation}) IN (SELECT q.postcode, q.generation FROM postcodes q WHERE q.generation > ${currentGeneration} LIMIT ${limit})`,
          ),
      ),
    );
  }
  return writeTransaction(
    db,
    () =>
      db.$client
        .prepare(
          `DELETE FROM postcodes WHERE rowid IN (SELECT rowid FROM postcodes WHERE generation > ${generationSql} LIMIT ?)`,
        )
        .run(limit).changes,
  );
}

let stagingOpen = false;

export type StagedPostcode = {
  postcode: string;
  constituencyCode: string | null;
  terminatedOn: string | null;
  line: number;
};

export type DuplicatePostcode = { postcode: string; line: number; firstLine: number };

export type PostcodeDifferences = {
  rows: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
};

export type PostcodeStaging = {
  /** Stages a batch; returns the rows whose postcode was already staged. */
  stage(rows: StagedPostcode[]): Promise<DuplicatePostcode[]>;
  /**
   * Works out what replacing generation `base` with the staged rows
   * changes, into two more temporary tables, and counts it. Only reads the
   * main database, so no one waits for it although it reads 2.7 million rows
   * twice. Counted in SQL: a per-row diff in JS costs more than the import.
   */
  diff(at: { base: number }): Promise<PostcodeDifferences>;
  /**
   * Writes the next `limit` rows of the difference under `generation`, in
   * one short write transaction; lookups do not see them until
   * `publishPostcodeGeneration`. Returns how many it wrote: 0 when done.
   * Re-importing an unchanged directory writes nothing.
   */
  writeBatch(batch: { generation: number; from: number; limit: number }): Promise<number>;
  /**
   * Finds the postcodes that have rows no lookup can read any more (older
   * generations, and `removed` markers), into a temporary table: a read, so
   * no one waits for it; returns how many. Then `deleteSuperseded` deletes
   * them in short steps. Covers whatever an earlier clean-up that was stopped
   * left behind too.
   */
  findSuperseded(): Promise<number>;
  /** Deletes the unreadable rows of the found postcodes numbered (from, from + limit], in one short write transaction. */
  deleteSuperseded(batch: { from: number; limit: number }): Promise<number>;
  dropSuperseded(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A private holding table for one directory import. Rows are validated and
 * staged here while the file streams in, compared with the current
 * directory, and the difference written under a new generation in short
 * write transactions (see importers/postcodes.server.ts for why). A TEMP
 * table belongs to one connection alone and vanishes with it, so a crash
 * mid-import leaves nothing of it behind in the database.
 *
 * Raw SQL rather than drizzle's builders: the tables are not part of the
 * schema, and the bulk statements are the point of the exercise.
 */
export async function openPostcodeStaging(): Promise<PostcodeStaging> {
  // The tables have fixed names on the one connection: two imports at once in
  // one process would overwrite each other's rows.
  if (stagingOpen) throw new Error("a postcode import is already running in this process");
  stagingOpen = true;
  try {
    return engineOf(db) === "postgres" ? await openPostgresStaging() : await openSqliteStaging();
  } catch (error) {
    // Not opened after all: the next import may try.
    stagingOpen = false;
    throw error;
  }
}

async function openSqliteStaging(): Promise<PostcodeStaging> {
  // On the writing connection, the one that writes the difference into the
  // directory; every use takes its turn there (withWriter), so staged rows are
  // never caught up in another request's transaction.
  const { sqlite, stageBatch } = await withWriter(db, (sqlite) => {
    sqlite.exec(`
      DROP TABLE IF EXISTS temp.postcodes_incoming;
      CREATE TEMP TABLE postcodes_incoming (
        postcode TEXT PRIMARY KEY,
        constituency_code TEXT,
        terminated_on TEXT,
        line INTEGER NOT NULL
      );
    `);
    const insert = sqlite.prepare(
      `INSERT INTO temp.postcodes_incoming (postcode, constituency_code, terminated_on, line)
       VALUES (@postcode, @constituencyCode, @terminatedOn, @line)
       ON CONFLICT (postcode) DO NOTHING`,
    );
    const firstLine = sqlite.prepare("SELECT line FROM temp.postcodes_incoming WHERE postcode = ?").pluck();
    // The temp table is written in its own transaction a batch: nothing in the
    // main database is locked while the file is still being read. Inside an
    // outer transaction (the sample load) this becomes a savepoint.
    const stageBatch = sqlite.transaction((rows: StagedPostcode[]) => {
      const duplicates: DuplicatePostcode[] = [];
      for (const row of rows) {
        if (insert.run(row).changes === 1) continue;
        duplicates.push({ postcode: row.postcode, line: row.line, firstLine: firstLine.get(row.postcode) as number });
      }
      return duplicates;
    });
    return { sqlite, stageBatch };
  });
  let changedRows = 0;
  let removedRows = 0;

  function diffNow({ base }: { base: number }): PostcodeDifferences {
    // The row a lookup at `base` would read for postcode `x`.
    const visible = (x: string) =>
      `p.postcode = ${x} AND p.generation = (SELECT max(q.generation) FROM main.postcodes q WHERE q.postcode = ${x} AND q.generation <= @base)`;
    sqlite.exec("DROP TABLE IF EXISTS temp.postcodes_changed; DROP TABLE IF EXISTS temp.postcodes_removed;");
    // In key order, so the new generation's rows append to the primary-key index.
    sqlite
      .prepare(
        `CREATE TEMP TABLE postcodes_changed AS
           SELECT i.postcode, i.constituency_code, i.terminated_on, (p.postcode IS NULL OR p.removed) AS is_new
           FROM temp.postcodes_incoming i
           LEFT JOIN main.postcodes p ON ${visible("i.postcode")}
           WHERE p.postcode IS NULL OR p.removed
              OR p.constituency_code IS NOT i.constituency_code
              OR p.terminated_on IS NOT i.terminated_on
           ORDER BY i.postcode`,
      )
      .run({ base });
    sqlite
      .prepare(
        `CREATE TEMP TABLE postcodes_removed AS
           SELECT DISTINCT o.postcode FROM main.postcodes o
           JOIN main.postcodes p ON ${visible("o.postcode")}
           WHERE o.generation <= @base AND NOT p.removed
             AND NOT EXISTS (SELECT 1 FROM temp.postcodes_incoming i WHERE i.postcode = o.postcode)
           ORDER BY o.postcode`,
      )
      .run({ base });
    const rows = sqlite.prepare("SELECT count(*) FROM temp.postcodes_incoming").pluck().get() as number;
    const changed = sqlite
      .prepare("SELECT count(*) AS n, coalesce(sum(is_new), 0) AS added FROM temp.postcodes_changed")
      .get() as { n: number; added: number };
    const removed = sqlite.prepare("SELECT count(*) FROM temp.postcodes_removed").pluck().get() as number;
    changedRows = changed.n;
    removedRows = removed;
    return {
      rows,
      added: changed.added,
      updated: changed.n - changed.added,
      removed,
      unchanged: rows - changed.n,
    };
  }

  return {
    stage(rows) {
      return withWriter(db, () => stageBatch(rows));
    },

    diff({ base }) {
      return withWriter(db, () => diffNow({ base }));
    },

    async writeBatch({ generation, from, limit }) {
      // The CREATE TABLE … AS tables number their rows 1, 2, 3… in order.
      const to = from + limit;
      return writeTransaction(db, () => {
        let written = 0;
        if (from < changedRows) {
          written += sqlite
            .prepare(
              `INSERT INTO main.postcodes (postcode, generation, constituency_code, terminated_on, removed)
               SELECT postcode, @generation, constituency_code, terminated_on, false FROM temp.postcodes_changed
               WHERE rowid > @from AND rowid <= @to`,
            )
            .run({ generation, from, to }).changes;
        }
        const removedFrom = Math.max(0, from - changedRows);
        const removedTo = to - changedRows;
        if (removedTo > 0 && removedFrom < removedRows) {
          written += sqlite
            .prepare(
              `INSERT INTO main.postcodes (postcode, generation, removed)
               SELECT postcode, @generation, true FROM temp.postcodes_removed WHERE rowid > @from AND rowid <= @to`,
            )
            .run({ generation, from: removedFrom, to: removedTo }).changes;
        }
        return written;
      });
    },

    findSuperseded() {
      return withWriter(db, (sqlite) => {
        sqlite.exec("DROP TABLE IF EXISTS temp.postcodes_superseded");
        sqlite.exec(
          `CREATE TEMP TABLE postcodes_superseded AS
             SELECT postcode FROM main.postcodes WHERE generation <= ${generationSql}
             GROUP BY postcode HAVING count(*) > 1 OR max(removed)
             ORDER BY postcode`,
        );
        return sqlite.prepare("SELECT count(*) FROM temp.postcodes_superseded").pluck().get() as number;
      });
    },

    async deleteSuperseded({ from, limit }) {
      return writeTransaction(
        db,
        () =>
          db.$client
            .prepare(
              `DELETE FROM main.postcodes
               WHERE postcode IN (SELECT postcode FROM temp.postcodes_superseded WHERE rowid > @from AND rowid <= @to)
                 AND generation <= ${generationSql}
                 AND (removed OR generation < (
                   SELECT max(q.generation) FROM main.postcodes q
                   WHERE q.postcode = main.postcodes.postcode AND q.generation <= ${generationSql}))`,
            )
            .run({ from, to: from + limit }).changes,
      );
    },

    async dropSuperseded() {
      await withWriter(db, (sqlite) => sqlite.exec("DROP TABLE IF EXISTS temp.postcodes_superseded"));
    },

    async close() {
      stagingOpen = false;
      await withWriter(db, () =>
        sqlite.exec(`
          DROP TABLE IF EXISTS temp.postcodes_incoming;
          DROP TABLE IF EXISTS temp.postcodes_changed;
          DROP TABLE IF EXISTS temp.postcodes_removed;
        `),
      );
    },
  };
}

/**
 * The same staging on PostgreSQL. Its temporary tables belong to one session,
 * and outside a transaction each statement may run on another pooled
 * connection, so every step runs on one connection the import holds to itself
 * (openPostgresSession), each in a transaction of its own there: the
 * difference is written from the temporary tables in the same statement that
 * reads them. Closing that connection drops the tables, as a crash does.
 * Inside an outer write transaction (the sample load) the session is that
 * transaction and each step a savepoint of it, so a failed step leaves the
 * outer transaction usable and everything commits or rolls back with it.
 *
 * The tables number their rows in a column `n` (there is no rowid), with an
 * index, so each batch reads only its own rows.
 */
async function openPostgresStaging(): Promise<PostcodeStaging> {
  const session = await openPostgresSession(db);
  const query = <T extends Record<string, unknown> = Record<string, unknown>>(statement: SQL) =>
    session.query<T>(statement);
  // Statistics, which autovacuum never gathers for temporary tables, so the
  // planner knows how big they are before it joins them with the directory.
  const analyse = (table: string) => query(sql.raw(`ANALYZE pg_temp.${table}`));
  try {
    await session.transaction(async () => {
      await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_incoming`);
      await query(sql`CREATE TEMP TABLE postcodes_incoming (
        postcode text PRIMARY KEY,
        constituency_code text,
        terminated_on text,
        line integer NOT NULL
      )`);
    });
  } catch (error) {
    await session.close();
    throw error;
  }
  let changedRows = 0;
  let removedRows = 0;
  const dropTables = async () => {
    await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_incoming`);
    await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_changed`);
    await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_removed`);
    await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_superseded`);
  };

  return {
    stage(rows) {
      // One statement a batch, so the first of a postcode listed twice in the
      // same batch is told from the rest here, as SQLite's row-by-row insert does.
      const firstInBatch = new Map<string, number>();
      for (const row of rows) if (!firstInBatch.has(row.postcode)) firstInBatch.set(row.postcode, row.line);
      const unique = rows.filter((row) => firstInBatch.get(row.postcode) === row.line);
      return session.transaction(async () => {
        const inserted = await query<{ postcode: string }>(
          sql`INSERT INTO pg_temp.postcodes_incoming (postcode, constituency_code, terminated_on, line)
              SELECT * FROM unnest(
                ${sql.param(unique.map((r) => r.postcode))}::text[],
                ${sql.param(unique.map((r) => r.constituencyCode))}::text[],
                ${sql.param(unique.map((r) => r.terminatedOn))}::text[],
                ${sql.param(unique.map((r) => r.line))}::integer[])
              ON CONFLICT (postcode) DO NOTHING
              RETURNING postcode`,
        );
        if (inserted.rowCount === rows.length) return [];
        const stagedNow = new Set(inserted.rows.map((r) => r.postcode));
        const firstLine = new Map(firstInBatch);
        const stagedBefore = unique.filter((r) => !stagedNow.has(r.postcode)).map((r) => r.postcode);
        if (stagedBefore.length > 0) {
          const found = await query<{ postcode: string; line: number }>(
            sql`SELECT postcode, line FROM pg_temp.postcodes_incoming WHERE postcode = ANY(${sql.param(stagedBefore)}::text[])`,
          );
          for (const { postcode, line } of found.rows) firstLine.set(postcode, line);
        }
        return rows
          .filter((row) => !(stagedNow.has(row.postcode) && firstInBatch.get(row.postcode) === row.line))
          .map((row) => ({ postcode: row.postcode, line: row.line, firstLine: firstLine.get(row.postcode)! }));
      });
    },

    diff({ base }) {
      // One snapshot of the directory for both tables; a read-only transaction
      // could not make them.
      return session.transaction(
        async () => {
          await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_changed`);
          await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_removed`);
          await query(sql`CREATE TEMP TABLE postcodes_changed (
            n bigint PRIMARY KEY,
            postcode text NOT NULL,
            constituency_code text,
            terminated_on text,
            is_new boolean NOT NULL
          )`);
          await query(sql`CREATE TEMP TABLE postcodes_removed (n bigint PRIMARY KEY, postcode text NOT NULL)`);
          await analyse("postcodes_incoming");
          // The rows a lookup at `base` would read: each postcode's newest at or below it.
          const visible = sql`SELECT o.postcode, o.constituency_code, o.terminated_on, o.removed FROM postcodes o
            WHERE o.generation <= ${base}
              AND NOT EXISTS (SELECT 1 FROM postcodes q WHERE q.postcode = o.postcode AND q.generation > o.generation AND q.generation <= ${base})`;
          // Numbered in key order, so the new generation's rows go into the primary-key index in order.
          const changed = await query(
            sql`INSERT INTO pg_temp.postcodes_changed (n, postcode, constituency_code, terminated_on, is_new)
                SELECT row_number() OVER (ORDER BY i.postcode), i.postcode, i.constituency_code, i.terminated_on,
                       (p.postcode IS NULL OR p.removed)
                FROM pg_temp.postcodes_incoming i
                LEFT JOIN (${visible}) p ON p.postcode = i.postcode
                WHERE p.postcode IS NULL OR p.removed
                   OR p.constituency_code IS DISTINCT FROM i.constituency_code
                   OR p.terminated_on IS DISTINCT FROM i.terminated_on`,
          );
          const removed = await query(
            sql`INSERT INTO pg_temp.postcodes_removed (n, postcode)
                SELECT row_number() OVER (ORDER BY p.postcode), p.postcode
                FROM (${visible}) p
                WHERE NOT p.removed
                  AND NOT EXISTS (SELECT 1 FROM pg_temp.postcodes_incoming i WHERE i.postcode = p.postcode)`,
          );
          await analyse("postcodes_changed");
          await analyse("postcodes_removed");
          // count(*) is a bigint: node-postgres gives it as a string.
          const [counts] = (
            await query<{ rows: string; added: string }>(
              sql`SELECT (SELECT count(*) FROM pg_temp.postcodes_incoming) AS rows,
                         (SELECT count(*) FROM pg_temp.postcodes_changed WHERE is_new) AS added`,
            )
          ).rows;
          const rows = Number(counts!.rows);
          const added = Number(counts!.added);
          changedRows = changed.rowCount;
          removedRows = removed.rowCount;
          return {
            rows,
            added,
            updated: changedRows - added,
            removed: removedRows,
            unchanged: rows - changedRows,
          };
        },
        { isolationLevel: "repeatable read" },
      );
    },

    writeBatch({ generation, from, limit }) {
      const to = from + limit;
      return session.transaction(async () => {
        let written = 0;
        if (from < changedRows) {
          written += (
            await query(
              sql`INSERT INTO postcodes (postcode, generation, constituency_code, terminated_on, removed)
                  SELECT postcode, ${generation}::integer, constituency_code, terminated_on, false
                  FROM pg_temp.postcodes_changed WHERE n > ${from} AND n <= ${to} ORDER BY n`,
            )
          ).rowCount;
        }
        const removedFrom = Math.max(0, from - changedRows);
        const removedTo = to - changedRows;
        if (removedTo > 0 && removedFrom < removedRows) {
          written += (
            await query(
              sql`INSERT INTO postcodes (postcode, generation, removed)
                  SELECT postcode, ${generation}::integer, true
                  FROM pg_temp.postcodes_removed WHERE n > ${removedFrom} AND n <= ${removedTo} ORDER BY n`,
            )
          ).rowCount;
        }
        return written;
      });
    },

    findSuperseded() {
      return session.transaction(async () => {
        await query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_superseded`);
        await query(sql`CREATE TEMP TABLE postcodes_superseded (n bigint PRIMARY KEY, postcode text NOT NULL)`);
        const found = await query(
          sql`INSERT INTO pg_temp.postcodes_superseded (n, postcode)
              SELECT row_number() OVER (ORDER BY postcode), postcode FROM postcodes
              WHERE generation <= ${currentGeneration}
              GROUP BY postcode HAVING count(*) > 1 OR bool_or(removed)`,
        );
        await analyse("postcodes_superseded");
        return found.rowCount;
      });
    },

    deleteSuperseded({ from, limit }) {
      return session.transaction(
        async () =>
          (
            await query(
              sql`DELETE FROM postcodes d
                  WHERE d.postcode IN (SELECT postcode FROM pg_temp.postcodes_superseded WHERE n > ${from} AND n <= ${from + limit})
                    AND d.generation <= ${currentGeneration}
                    AND (d.removed OR d.generation < (
                      SELECT max(q.generation) FROM postcodes q
                      WHERE q.postcode = d.postcode AND q.generation <= ${currentGeneration}))`,
            )
          ).rowCount,
      );
    },

    async dropSuperseded() {
      await session.transaction(() => query(sql`DROP TABLE IF EXISTS pg_temp.postcodes_superseded`));
    },

    async close() {
      stagingOpen = false;
      try {
        // A connection of its own takes its tables with it when it closes;
        // an outer transaction's goes back to the pool, so they are dropped.
        if (!session.ownConnection) await session.transaction(dropTables);
      } finally {
        await session.close();
      }
    },
  };
}

/**
 * The one short step that makes `generation` the directory lookups read,
 * with `alsoWrite` (the import_runs row) in the same transaction. Refuses
 * (returns false, writing nothing) unless this import still holds the claim
 * and the directory is still the generation it was compared with.
 */
export async function publishPostcodeGeneration({
  generation,
  base,
  now,
  alsoWrite,
}: {
  generation: number;
  base: number;
  now: Date;
  alsoWrite: () => Promise<boolean>;
}) {
  return writeTransaction(db, async () => {
    await takeClaimsInTurn();
    const claim = (
      await db
        .select({ generation: postcodeImportClaims.generation })
        .from(postcodeImportClaims)
        .where(eq(postcodeImportClaims.id, 1))
        .limit(1)
    )[0];
    if (claim?.generation !== generation || (await readGeneration()) !== base) return false;
    if (!(await alsoWrite())) return false;
    const at = now.toISOString();
    await db
      .insert(postcodeDirectory)
      .values({ id: 1, generation, updatedAt: at })
      .onConflictDoUpdate({ target: postcodeDirectory.id, set: { generation, updatedAt: at } });
    return true;
  });
}
