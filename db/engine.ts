// Which engine this process runs on (docs/decisions/018-postgresql-for-scale-out.md):
// PostgreSQL when DATABASE_URL names one, otherwise the SQLite file at
// DATABASE_PATH. Decided once, when the process starts, from the environment
// itself rather than app/utils/env.server.ts: the schema's column builders
// (db/columns/index.ts) depend on it and load before the app's settings do.

export type Engine = "sqlite" | "postgres";

export function engineFor(databaseUrl: string | undefined): Engine {
  return /^postgres(ql)?:\/\//i.test(databaseUrl ?? "") ? "postgres" : "sqlite";
}

export const engine: Engine = engineFor(process.env.DATABASE_URL);
