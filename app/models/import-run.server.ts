import { desc } from "drizzle-orm";
import { importRuns } from "#db/schema";
import { db } from "~/utils/db.server";

export type ImportRunRecord = Omit<typeof importRuns.$inferInsert, "id" | "startedAt" | "finishedAt"> & {
  startedAt: Date;
  finishedAt: Date;
};

/** Records a run and returns its id. */
export function recordImportRun({ startedAt, finishedAt, ...run }: ImportRunRecord): number {
  return db
    .insert(importRuns)
    .values({ ...run, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() })
    .returning({ id: importRuns.id })
    .get().id;
}

export function listImportRuns({ limit }: { limit: number }) {
  return db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(limit).all();
}
