import { defineConfig } from "drizzle-kit";

// PostgreSQL's migrations, from the same tables (db/schema.pg.ts is written
// from db/schema.ts): `npm run db:generate`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations-pg",
});
