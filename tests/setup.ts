// Runs before every test file: a fresh database per file, migrated once and
// emptied before each test, so tests never see each other's rows. On SQLite a
// new file; on PostgreSQL (DATABASE_URL=postgres://…) a new database copied
// from the migrated template tests/global-setup.ts made.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { engineFor } from "#db/engine";
import { databaseUrl } from "./global-setup";

const dir = mkdtempSync(join(tmpdir(), "pledge-test-"));
process.env.DATABASE_PATH = join(dir, "test.sqlite");
process.env.NODE_ENV = "test";

const serverUrl = process.env.DATABASE_URL;
const onPostgres = engineFor(serverUrl) === "postgres";
const template = onPostgres ? inject("postgresTemplate") : "";
const database = `${template}_${randomBytes(6).toString("hex")}`;

async function onServer(query: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

if (onPostgres) {
  await onServer(`create database ${database} template ${template}`);
  process.env.DATABASE_URL = databaseUrl(serverUrl!, database);
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
  if (onPostgres) await onServer(`drop database if exists ${database} with (force)`);
});
