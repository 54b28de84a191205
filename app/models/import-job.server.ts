import { and, eq, ne } from "drizzle-orm";
import type { ImportJobAction, ImportKind } from "#db/enums";
import { writeTransaction, changedRows } from "#db/index";
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
export async function interruptLostImportJobs({ runner, now }: { runner: string; now: Date }) {
  return writeTransaction(db, async () => {
    return changedRows(
      await db
        .update(importJobs)
        .set({ status: "interrupted", finishedAt: now.toISOString() })
        .where(and(eq(importJobs.status, "running"), ne(importJobs.runner, runner))),
    );
  });
}

/**
 * Starts a job as "running", unless one already runs: one import at a time
 * (the unique index import_jobs_one_running holds that even if this is raced).
 */
export async function startImportJob({
  now,
  ...job
}: NewImportJob): Promise<{ started: true; id: number } | { started: false; running: RunningImportJob }> {
  // Read first, without the write lock: while this process's own import
  // holds that lock, waiting for it would stall every request.
  const ours = await findRunningImportJob();
  if (ours?.runner === job.runner) return { started: false, running: ours };
  return writeTransaction(db, async () => {
    await interruptLostImportJobs({ runner: job.runner, now });
    const running = (
      await db.select(runningJobColumns).from(importJobs).where(eq(importJobs.status, "running")).limit(1)
    )[0];
    if (running) return { started: false as const, running };
    const { id } = (
      await db
        .insert(importJobs)
        .values({ ...job, status: "running", createdAt: now.toISOString() })
        .returning({ id: importJobs.id })
    )[0]!;
    return { started: true as const, id };
  });
}

/** Records what the importer answered. Inside an applied import's transaction, it commits with the import. */
export async function finishImportJob({ id, result, now }: { id: number; result: Record<string, unknown>; now: Date }) {
  return writeTransaction(db, async () => {
    await db
      .update(importJobs)
      .set({ status: "done", result, finishedAt: now.toISOString() })
      .where(and(eq(importJobs.id, id), eq(importJobs.status, "running")));
  });
}

/** An error the importer did not expect; a job that already finished keeps its answer. */
export async function failImportJob({ id, error, now }: { id: number; error: string; now: Date }) {
  return writeTransaction(db, async () => {
    return (
      changedRows(
        await db
          .update(importJobs)
          .set({ status: "failed", error, finishedAt: now.toISOString() })
          .where(and(eq(importJobs.id, id), eq(importJobs.status, "running"))),
      ) > 0
    );
  });
}

export async function findImportJob({ id }: { id: number }) {
  return (await db.select().from(importJobs).where(eq(importJobs.id, id)).limit(1))[0];
}

type RunningImportJob = {
  id: number;
  action: ImportJobAction;
  fileName: string;
  sha256: string;
  startedBy: string;
  runner: string;
};

export async function findRunningImportJob(): Promise<RunningImportJob | undefined> {
  return (await db.select(runningJobColumns).from(importJobs).where(eq(importJobs.status, "running")).limit(1))[0];
}
