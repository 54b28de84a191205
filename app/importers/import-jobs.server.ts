// Browser imports run as jobs, off the request and off the server's event
// loop: a worker thread runs the same importer the command line runs (the
// worker's module, import-worker.server.ts), with a database connection of its
// own, and tells this thread its progress, which pages read from memory. Only
// the job's start and its answer are written to import_jobs: this thread never
// waits on the lock the worker's import holds.
import { isDbOpen } from "#db/index";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ImportJobAction } from "#db/enums";
import {
  failImportJob,
  findImportJob,
  findRunningImportJob,
  interruptLostImportJobs,
  startImportJob,
} from "~/models/import-job.server";
import { db } from "~/utils/db.server";
import type { UploadableImportKind } from "~/utils/import-upload";
import type { Problem, Withdrawal } from "./problems";
import type { Progress } from "./types";
import type { ImportSummary } from "./upload.server";

/** What the importer answered, as the job keeps it. */
export type ImportJobResult =
  | { outcome: "checked"; summary: ImportSummary }
  | { outcome: "applied"; importRunId: number; summary: ImportSummary }
  | { outcome: "problems"; problems: Problem[]; total: number }
  | { outcome: "refused"; message: string }
  | { outcome: "withdrawals-not-confirmed"; withdrawals: Withdrawal[]; total: number };

/** What the worker thread is given: everything it needs, as plain data. */
export type ImportJobOrder = {
  jobId: number;
  action: ImportJobAction;
  sha256: string;
  fileName: string;
  kind: UploadableImportKind | undefined;
  replaceStaffEmails: boolean;
  confirmedWithdrawals: number | null;
  actor: string;
  /** The request's time, as an ISO string: the clock is chosen at the edge. */
  now: string;
};

// One per process, kept on globalThis so Vite's dev reloads keep the jobs in
// flight. `runner` names this process in the jobs it starts.
const globalForJobs = globalThis as unknown as {
  pledgeImportJobs?: { runner: string; progress: Map<number, Progress | null> };
};
const jobs = (globalForJobs.pledgeImportJobs ??= { runner: randomUUID(), progress: new Map() });

/**
 * The folder with package.json: the worker loads the app's TypeScript from
 * there, through tsx, whether this module runs from app/ (dev, tests) or from
 * the bundle in build/server (production).
 */
function projectRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("import jobs: cannot find the project's package.json");
    dir = parent;
  }
  return dir;
}

/**
 * tsx's ESM API module, by its package's own exports map: require.resolve
 * would give its CommonJS twin, whose tsImport cannot load ES modules.
 */
function tsxApiPath(root: string) {
  const packageJson = createRequire(join(root, "package.json")).resolve("tsx/package.json");
  const { exports } = JSON.parse(readFileSync(packageJson, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  return join(dirname(packageJson), exports["./esm/api"].import.default);
}

function startWorker(order: ImportJobOrder) {
  const root = projectRoot();
  const entry = pathToFileURL(join(root, "app", "importers", "import-worker.server.ts")).href;
  const tsx = pathToFileURL(tsxApiPath(root)).href;
  // A worker's own --import hooks come too late for its first module (Node 20),
  // so a two-line bootstrap loads the entry through tsx's API instead.
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  const worker = new Worker(bootstrap, { eval: true, workerData: order });
  jobs.progress.set(order.jobId, null);
  let crash: unknown;
  worker.on("message", (progress: Progress) => jobs.progress.set(order.jobId, progress));
  worker.on("error", (error) => (crash = error));
  worker.on("exit", () => {
    jobs.progress.delete(order.jobId);
    if (!isDbOpen(db)) return; // The process is closing: the next start marks the job interrupted.
    // The worker writes its own answer; a job still running here lost its worker.
    const message = crash instanceof Error ? crash.message : "the import stopped before it finished";
    failImportJob({ id: order.jobId, error: message, now: new Date() }).then(
      (failed) => failed && console.error(`Import job ${order.jobId} failed:`, crash ?? message),
      (error: unknown) => console.error(`Import job ${order.jobId}: its failure could not be recorded`, error),
    );
  });
}

/** Starts a job in a worker thread, or names the one already running (one import at a time). */
export async function startImport({
  startedBy,
  ...order
}: Omit<ImportJobOrder, "jobId" | "actor" | "now"> & { startedBy: string; checkJobId?: number; now: Date }) {
  const started = await startImportJob({
    action: order.action,
    sha256: order.sha256,
    fileName: order.fileName,
    kind: order.kind ?? null,
    replaceStaffEmails: order.replaceStaffEmails,
    confirmedWithdrawals: order.confirmedWithdrawals,
    checkJobId: order.checkJobId ?? null,
    startedBy,
    runner: jobs.runner,
    now: order.now,
  });
  if (started.started) {
    startWorker({
      jobId: started.id,
      action: order.action,
      sha256: order.sha256,
      fileName: order.fileName,
      kind: order.kind,
      replaceStaffEmails: order.replaceStaffEmails,
      confirmedWithdrawals: order.confirmedWithdrawals,
      actor: startedBy,
      now: order.now.toISOString(),
    });
  }
  return started;
}

/** A job as its page shows it, with its progress while it runs here. */
export async function readImportJob({ id, now }: { id: number; now: Date }) {
  let job = await findImportJob({ id });
  if (job?.status === "running" && job.runner !== jobs.runner) {
    await interruptLostImportJobs({ runner: jobs.runner, now });
    job = await findImportJob({ id });
  }
  if (!job) return undefined;
  const { result, runner, ...rest } = job;
  return {
    ...rest,
    // Written only by the worker, from the types above.
    result: result as ImportJobResult | null,
    progress: jobs.progress.get(id) ?? null,
    startedHere: runner === jobs.runner,
  };
}

/** The job running now, unless its process is gone. */
export async function runningImport() {
  const running = await findRunningImportJob();
  return running?.runner === jobs.runner ? running : undefined;
}
