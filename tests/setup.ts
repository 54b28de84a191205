// Runs before every test file: a fresh database per file, migrated once and
// emptied before each test, so tests never see each other's rows. On SQLite a
// new file; on PostgreSQL (DATABASE_URL=postgres://…) a new database copied
// from the migrated template tests/global-setup.ts made.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { engineFor } from "#db/engine";
import { onPostgres, withDatabase } from "../scripts/postgres";

const dir = mkdtempSync(join(tmpdir(), "pledge-test-"));
process.env.DATABASE_PATH = join(dir, "test.sqlite");
process.env.NODE_ENV = "test";

const serverUrl = process.env.DATABASE_URL;
const usePostgres = engineFor(serverUrl) === "postgres";
const template = usePostgres ? inject("postgresTemplate") : "";
const database = `${template}_${randomBytes(6).toString("hex")}`;

if (usePostgres) {
  await onPostgres(serverUrl!, (client) => client.query(`create database ${database} template ${template}`));
  process.env.DATABASE_URL = withDatabase(serverUrl!, database);
}

beforeAll(async () => {
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  await migrateDb(db);
});

beforeEach(async () => {
  const { resetDatabase } = await import("./db");
  await resetDatabase();
});

afterAll(async () => {
  const { closeDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  await closeDb(db);
  if (usePostgres)
    await onPostgres(serverUrl!, (client) => client.query(`drop database if exists ${database} with (force)`));
});
