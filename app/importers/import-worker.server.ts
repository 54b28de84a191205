// The thread a browser import runs in (started by import-jobs.server.ts): the
// same checkUpload and applyUpload the page ran before, on this thread's own
// database connection (db.server.ts opens one per thread). It writes the job's
// answer itself: an applied import's in the import's own transaction, so a
// kill -9 leaves either both or neither.
import { parentPort, workerData } from "node:worker_threads";
import { failImportJob, finishImportJob } from "~/models/import-job.server";
import { closeDb } from "#db/index";
import { db } from "~/utils/db.server";
import type { ImportJobOrder, ImportJobResult } from "./import-jobs.server";
import type { Progress } from "./types";
import { applyUpload, checkUpload, discardUpload } from "./upload.server";

// A bad file can have a problem on every one of its thousands of rows.
const problemLimit = 200;

const order = workerData as ImportJobOrder;
const upload = { sha256: order.sha256, fileName: order.fileName, kind: order.kind };
const now = new Date(order.now);

function onProgress(progress: Progress) {
  parentPort?.postMessage(progress);
}

async function run(): Promise<ImportJobResult> {
  if (order.action === "check") {
    const checked = await checkUpload({ ...upload, now, onProgress });
    if (checked.outcome !== "problems") return checked;
    return { outcome: "problems", problems: checked.problems.slice(0, problemLimit), total: checked.problems.length };
  }
  const applied = await applyUpload({
    ...upload,
    actor: order.actor,
    now,
    confirmedWithdrawals: order.confirmedWithdrawals,
    replaceStaffEmails: order.replaceStaffEmails,
    onProgress,
    alsoWrite: async ({ importRunId, summary }) =>
      finishImportJob({ id: order.jobId, result: { outcome: "applied", importRunId, summary }, now: new Date() }),
  });
  switch (applied.outcome) {
    case "problems":
      return { outcome: "problems", problems: applied.problems.slice(0, problemLimit), total: applied.problems.length };
    case "withdrawals-not-confirmed":
      return {
        outcome: "withdrawals-not-confirmed",
        withdrawals: applied.withdrawals.slice(0, problemLimit),
        total: applied.withdrawals.length,
      };
    default:
      return applied;
  }
}

try {
  const result = await run();
  // Imported, or no use to anyone: a plan, or a count to confirm, may yet be imported.
  // Deleted before the job says it is done, so whoever sees the answer sees the file gone.
  if (result.outcome !== "checked" && result.outcome !== "withdrawals-not-confirmed")
    await discardUpload({ ...upload, byJobId: order.jobId });
  if (result.outcome !== "applied") await finishImportJob({ id: order.jobId, result, now: new Date() });
} catch (error) {
  await failImportJob({
    id: order.jobId,
    error: error instanceof Error ? error.message : String(error),
    now: new Date(),
  });
} finally {
  await closeDb(db);
}
