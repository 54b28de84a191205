import { writeTransaction } from "#db/index";
import { and, desc, eq, inArray } from "drizzle-orm";
import { importRuns } from "#db/schema";
import { db } from "~/utils/db.server";

export type ImportRunRecord = Omit<typeof importRuns.$inferInsert, "id" | "startedAt" | "finishedAt"> & {
  startedAt: Date;
  finishedAt: Date;
};

/** Records a run and returns its id. */
export async function recordImportRun({ startedAt, finishedAt, ...run }: ImportRunRecord): Promise<number> {
  return writeTransaction(db, async () => {
    return (
      await db
        .insert(importRuns)
        .values({ ...run, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() })
        .returning({ id: importRuns.id })
    )[0]!.id;
  });
}

export async function listImportRuns({ limit }: { limit: number }) {
  return await db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(limit);
}

const candidateKinds = ["dc-candidates", "oi-candidates"] as const;

/**
 * Where the public pages' candidate data last came from: the newest applied
 * candidates import (a dry run changes nothing, so it does not count).
 */
export async function latestCandidateImport(): Promise<{
  kind: (typeof candidateKinds)[number];
  finishedAt: string;
} | null> {
  const run = (
    await db
      .select({ kind: importRuns.kind, finishedAt: importRuns.finishedAt })
      .from(importRuns)
      .where(and(inArray(importRuns.kind, [...candidateKinds]), eq(importRuns.dryRun, false)))
      .orderBy(desc(importRuns.finishedAt), desc(importRuns.id))
      .limit(1)
  )[0];
  return run ? { kind: run.kind as (typeof candidateKinds)[number], finishedAt: run.finishedAt } : null;
}
