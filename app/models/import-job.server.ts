import { and, eq, ne } from "drizzle-orm";
import type { ImportJobAction, ImportKind } from "#db/enums";
import { writeTransaction } from "#db/index";
import { importJobs } from "#db/schema";
import { db } from "~/utils/db.server";

type NewImportJob = {
  action: ImportJobAction;
  sha256: string;
  fileName: string;
  kind: ImportKind | null;
  replaceStaffEmails?: boolean;
  confirmedWithdrawals?: number | null;
  checkJobId?: number | null;
  startedBy: string;
  runner: string;
  now: Date;
};

const runningJobColumns = {
  id: importJobs.id,
  action: importJobs.action,
  fileName: importJobs.fileName,
  sha256: importJobs.sha256,
  startedBy: importJobs.startedBy,
  runner: importJobs.runner,
};

/**
 * A job still "running" under another runner lost its process (a restart, a
 * kill -9): its import transaction never committed, so it wrote nothing.
 */
export function interruptLostImportJobs({ runner, now }: { runner: string; now: Date }) {
  return db
    .update(importJobs)
    .set({ status: "interrupted", finishedAt: now.toISOString() })
    .where(and(eq(importJobs.status, "running"), ne(importJobs.runner, runner)))
    .run().changes;
}

/**
 * Starts a job as "running", unless one already runs: one import at a time
 * (the unique index import_jobs_one_running holds that even if this is raced).
 */
export function startImportJob({
  now,
  ...job
}: NewImportJob): { started: true; id: number } | { started: false; running: RunningImportJob } {
  // Read first, without the write lock: while this process's own import
  // holds that lock, waiting for it would stall every request.
  const ours = findRunningImportJob();
  if (ours?.runner === job.runner) return { started: false, running: ours };
  return writeTransaction(db, () => {
    interruptLostImportJobs({ runner: job.runner, now });
    const running = db.select(runningJobColumns).from(importJobs).where(eq(importJobs.status, "running")).get();
    if (running) return { started: false as const, running };
    const { id } = db
      .insert(importJobs)
      .values({ ...job, status: "running", createdAt: now.toISOString() })
      .returning({ id: importJobs.id })
      .get();
    return { started: true as const, id };
  });
}

/** Records what the importer answered. Inside an applied import's transaction, it commits with the import. */
export function finishImportJob({ id, result, now }: { id: number; result: Record<string, unknown>; now: Date }) {
  db.update(importJobs)
    .set({ status: "done", result, finishedAt: now.toISOString() })
    .where(and(eq(importJobs.id, id), eq(importJobs.status, "running")))
    .run();
}

/** An error the importer did not expect; a job that already finished keeps its answer. */
export function failImportJob({ id, error, now }: { id: number; error: string; now: Date }) {
  return (
    db
      .update(importJobs)
      .set({ status: "failed", error, finishedAt: now.toISOString() })
      .where(and(eq(importJobs.id, id), eq(importJobs.status, "running")))
      .run().changes > 0
  );
}

export function findImportJob({ id }: { id: number }) {
  return db.select().from(importJobs).where(eq(importJobs.id, id)).get();
}

type RunningImportJob = {
  id: number;
  action: ImportJobAction;
  fileName: string;
  sha256: string;
  startedBy: string;
  runner: string;
};

export function findRunningImportJob(): RunningImportJob | undefined {
  return db.select(runningJobColumns).from(importJobs).where(eq(importJobs.status, "running")).get();
}
