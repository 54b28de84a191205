// npm run worker: sends the outbox (and runs the scheduled jobs) in its own
// process. Run the server with MAIL_WORKER=off when you use this, though both
// at once is safe: a mail is claimed by one worker only.
import { migrateDb } from "#db/index";
import { db } from "~/utils/db.server";
import { env, mailMode } from "~/utils/env.server";
import { redactConsole } from "~/utils/log-redaction.server";
import { defaultMailTransport } from "~/mail/transport.server";
import { startMailWorker } from "~/mail/worker.server";
import { scheduledJobs } from "~/mail/scheduled-jobs.server";

// Before anything can log: SMTP refusals quote addresses (as serve.ts does).
redactConsole();
// The server migrates on start, but this may start first.
migrateDb(db);

const worker = startMailWorker({ jobs: scheduledJobs, intervalMs: env.MAIL_WORKER_INTERVAL_MS });
console.log(
  mailMode === "smtp"
    ? `Mail worker sending over SMTP (pid ${process.pid}).`
    : `Mail worker: no SMTP_URL, so mail is NOT being sent; it goes to the local mailbox at ${new URL("/outbox", env.PUBLIC_URL).href} (pid ${process.pid}).`,
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  defaultMailTransport().close();
  db.$client.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
