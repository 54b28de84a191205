import { desc } from "drizzle-orm";
import { importRuns } from "#db/schema";
import { db } from "~/utils/db.server";

export type ImportRunRecord = typeof importRuns.$inferInsert;

export function recordImportRun(run: ImportRunRecord) {
  db.insert(importRuns).values(run).run();
}

export function listImportRuns({ limit }: { limit: number }) {
  return db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(limit).all();
}
