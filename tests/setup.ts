// Runs before every test file: a fresh SQLite file per file, migrated once and
// emptied before each test, so tests never see each other's rows.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "pledge-test-"));
process.env.DATABASE_PATH = join(dir, "test.sqlite");
process.env.NODE_ENV = "test";

beforeAll(async () => {
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  migrateDb(db);
});

beforeEach(async () => {
  const { resetDatabase } = await import("./db");
  await resetDatabase();
});

afterAll(async () => {
  const { closeDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  closeDb(db);
});
