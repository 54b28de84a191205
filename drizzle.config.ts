import { defineConfig } from "drizzle-kit";

// SQLite's migrations. db/schema.ts builds its tables for the engine the
// environment names (db/columns/index.ts): here they must be SQLite's.
delete process.env.DATABASE_URL;

export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
