import { count, eq, max, sql } from "drizzle-orm";
import { constituencies, importRuns, postcodes } from "#db/schema";
import { db } from "~/utils/db.server";

function prepareFindPostcode() {
  return db
    .select({
      postcode: postcodes.postcode,
      constituencyCode: postcodes.constituencyCode,
      terminatedOn: postcodes.terminatedOn,
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
    .where(eq(postcodes.postcode, sql.placeholder("postcode")))
    .prepare();
}

// Every postcode search runs this, so it is prepared once (STACK.md trap 9:
// ~100 µs to build a query, ~14 µs prepared). Prepared on first use rather
// than at import, because SQLite refuses to prepare against tables that a
// fresh database has not been migrated to create yet.
let findPostcodeStatement: ReturnType<typeof prepareFindPostcode> | undefined;

/** One row of the imported directory with its constituency, or undefined. `postcode` must be normalised. */
export function findPostcode({ postcode }: { postcode: string }) {
  findPostcodeStatement ??= prepareFindPostcode();
  return findPostcodeStatement.get({ postcode });
}

/**
 * The id of the last postcode import written. The difference an import writes
 * is worked out before it takes the write lock, so it checks this has not
 * moved in between (another import finishing first).
 */
export function findLastPostcodeImportId() {
  return (
    db
      .select({ id: max(importRuns.id) })
      .from(importRuns)
      .where(eq(importRuns.kind, "onspd-postcodes"))
      .get()?.id ?? null
  );
}

export function countPostcodes() {
  return db.select({ n: count() }).from(postcodes).get()?.n ?? 0;
}

let stagingOpen = false;

export type StagedPostcode = {
  postcode: string;
  constituencyCode: string | null;
  terminatedOn: string | null;
  line: number;
};

export type PostcodeDifferences = {
  rows: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
};

/**
 * A private holding table for one directory import. Rows are validated and
 * staged here while the file streams in, compared with `postcodes`, and the
 * difference written in one short write transaction (see
 * importers/postcodes.server.ts for why). A TEMP table belongs to this connection alone and vanishes with
 * it, so a crash mid-import leaves nothing behind in the database file.
 *
 * Raw SQL through the driver rather than drizzle: the table is not part of the
 * schema, and the bulk statements are the point of the exercise.
 */
export function openPostcodeStaging() {
  // The tables have fixed names on the one connection: two imports at once in
  // one process would overwrite each other's rows.
  if (stagingOpen) throw new Error("a postcode import is already running in this process");
  const sqlite = db.$client;
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
  stagingOpen = true;
  const firstLine = sqlite.prepare("SELECT line FROM temp.postcodes_incoming WHERE postcode = ?").pluck();
  // The temp table is written in its own transaction a batch: nothing in the
  // main database is locked while the file is still being read. Inside an
  // outer transaction (the sample load) this becomes a savepoint.
  const stageBatch = sqlite.transaction((rows: StagedPostcode[]) => {
    const duplicates: { postcode: string; line: number; firstLine: number }[] = [];
    for (const row of rows) {
      if (insert.run(row).changes === 1) continue;
      duplicates.push({ postcode: row.postcode, line: row.line, firstLine: firstLine.get(row.postcode) as number });
    }
    return duplicates;
  });

  return {
    /** Stages a batch; returns the rows whose postcode was already staged. */
    stage(rows: StagedPostcode[]) {
      return stageBatch(rows);
    },

    /**
     * Works out what replacing the table with the staged rows changes, into
     * two more TEMP tables, and counts it. Runs outside the write transaction:
     * it reads 2.7 million rows twice, and the app's other writers (asks, the
     * outbox) should not wait for that. `replace` then writes just the
     * difference. Counted in SQL: a per-row diff in JS costs more than the import.
     */
    diff(): PostcodeDifferences {
      sqlite.exec(`
        DROP TABLE IF EXISTS temp.postcodes_changed;
        CREATE TEMP TABLE postcodes_changed AS
          SELECT i.postcode, i.constituency_code, i.terminated_on, p.postcode IS NULL AS is_new
          FROM temp.postcodes_incoming i
          LEFT JOIN main.postcodes p ON p.postcode = i.postcode
          WHERE p.postcode IS NULL
             OR p.constituency_code IS NOT i.constituency_code
             OR p.terminated_on IS NOT i.terminated_on
          ORDER BY i.postcode;
        DROP TABLE IF EXISTS temp.postcodes_removed;
        CREATE TEMP TABLE postcodes_removed AS
          SELECT p.postcode FROM main.postcodes p
          WHERE NOT EXISTS (SELECT 1 FROM temp.postcodes_incoming i WHERE i.postcode = p.postcode);
      `);
      const rows = sqlite.prepare("SELECT count(*) FROM temp.postcodes_incoming").pluck().get() as number;
      const changed = sqlite
        .prepare("SELECT count(*) AS n, coalesce(sum(is_new), 0) AS added FROM temp.postcodes_changed")
        .get() as { n: number; added: number };
      const removed = sqlite.prepare("SELECT count(*) FROM temp.postcodes_removed").pluck().get() as number;
      return {
        rows,
        added: changed.added,
        updated: changed.n - changed.added,
        removed,
        unchanged: rows - changed.n,
      };
    },

    /**
     * Applies the difference found by `diff`, so `postcodes` becomes exactly
     * the staged rows. Re-importing an unchanged directory writes (and
     * journals) nothing. Call inside a write transaction.
     */
    replace() {
      sqlite.prepare("DELETE FROM main.postcodes WHERE postcode IN (SELECT postcode FROM temp.postcodes_removed)").run();
      // In key order (as `diff` stored them), so new rows append to the
      // primary-key index instead of splitting pages all over it. (`WHERE
      // true` is SQLite's documented way to keep an upsert's SELECT from
      // reading ON CONFLICT as part of a join.)
      sqlite
        .prepare(
          `INSERT INTO main.postcodes (postcode, constituency_code, terminated_on)
           SELECT postcode, constituency_code, terminated_on FROM temp.postcodes_changed WHERE true
           ON CONFLICT (postcode) DO UPDATE SET
             constituency_code = excluded.constituency_code,
             terminated_on = excluded.terminated_on`,
        )
        .run();
    },

    close() {
      stagingOpen = false;
      sqlite.exec(`
        DROP TABLE IF EXISTS temp.postcodes_incoming;
        DROP TABLE IF EXISTS temp.postcodes_changed;
        DROP TABLE IF EXISTS temp.postcodes_removed;
      `);
    },
  };
}

export type PostcodeStaging = ReturnType<typeof openPostcodeStaging>;
