// One repetition of the import benchmark, run in its own process by
// scripts/bench/import.ts. The app opens its single database handle from
// DATABASE_PATH when first imported, so a fresh database file needs a fresh
// process, which is also what `npm run import` gets: times include V8 warming
// up on the import code, but not loading the modules.
//
// argv: RAW_DB_PATH FILE [FILE …]; env: DATABASE_PATH (a fresh file). Sends
// its figures to the parent over the IPC channel.
import { closeDb } from "#db/index";
import { performance } from "node:perf_hooks";
import type Database from "better-sqlite3";

export type FileFigures = { file: string; kind: string; rows: number; changes: number; ms: number };
export type TableFigures = { table: string; rows: number };
export type RepetitionFigures = {
  firstImport: FileFigures[];
  secondImport: FileFigures[];
  warmImport: FileFigures[];
  rawInsert: { tables: TableFigures[]; ms: number };
};

// Every table an import writes, parents before children (foreign keys are on).
const importedTables = [
  "elections",
  "constituencies",
  "parties",
  "hex_layouts",
  "hexes",
  "candidacies",
  "import_runs",
] as const;

type TableRows = { table: string; columns: string[]; rows: unknown[][] };

async function main() {
  const [rawDbPath, ...files] = process.argv.slice(2);
  if (!process.env.DATABASE_PATH || !rawDbPath || files.length === 0 || !process.send) {
    throw new Error("run by scripts/bench/import.ts: DATABASE_PATH=… import-repetition.ts RAW_DB FILE…");
  }
  // Imported only now, after checking DATABASE_PATH: importing db.server opens it.
  const { createDb, migrateDb, withWriter } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { runImport } = await import("~/importers/import.server");

  await migrateDb(db);
  const timeImports = async () => {
    const figures: FileFigures[] = [];
    for (const path of files) {
      const started = performance.now();
      const result = await runImport({ path });
      const ms = performance.now() - started;
      figures.push({ file: result.file, kind: result.kind, rows: result.rows, changes: result.changes.length, ms });
    }
    return figures;
  };
  const firstImport = await timeImports();
  // The raw insert writes exactly the rows the first import left behind.
  const imported = readTables(db.$client);
  const secondImport = await timeImports();
  // A third import into emptied tables: the same work as the first, with V8
  // warmed up, as in a long-running server. Not a fresh file, but the same rows.
  await withWriter(db, emptyTables);
  const warmImport = await timeImports();

  const raw = createDb(rawDbPath);
  await migrateDb(raw);
  const rawInsert = await withWriter(raw, (client) => timeRawInsert(client, imported));
  await closeDb(raw);
  await closeDb(db);

  const figures: RepetitionFigures = { firstImport, secondImport, warmImport, rawInsert };
  // Wait until the figures are handed over, then let the process end.
  await new Promise<void>((resolve, reject) =>
    process.send!(figures, undefined, undefined, (error) => (error ? reject(error) : resolve())),
  );
  process.disconnect();
}

function readTables(sqlite: Database.Database): TableRows[] {
  return importedTables.map((table) => {
    const select = sqlite.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw();
    return { table, columns: select.columns().map((c) => c.name), rows: select.all() as unknown[][] };
  });
}

function emptyTables(sqlite: Database.Database) {
  sqlite
    .transaction(() => {
      for (const table of [...importedTables].reverse()) sqlite.prepare(`DELETE FROM "${table}"`).run();
      sqlite.prepare("DELETE FROM sqlite_sequence").run();
    })
    .immediate();
}

/**
 * The baseline: a best-effort hand-written insert of the same rows into the
 * same schema (same indexes, foreign keys and pragmas), one prepared INSERT a
 * table, all in one IMMEDIATE transaction. Preparing is inside the timing, as
 * it would be in real code; it costs microseconds.
 */
function timeRawInsert(sqlite: Database.Database, tables: TableRows[]) {
  const started = performance.now();
  sqlite
    .transaction(() => {
      for (const { table, columns, rows } of tables) {
        const insert = sqlite.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        for (const row of rows) insert.run(row);
      }
    })
    .immediate();
  const ms = performance.now() - started;
  return { tables: tables.map(({ table, rows }) => ({ table, rows: rows.length })), ms };
}

await main();
