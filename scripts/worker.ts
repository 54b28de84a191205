// npm run worker: sends the outbox (and runs the scheduled jobs) in its own
// process. Run the server with MAIL_WORKER=off when you use this, though both
// at once is safe: a mail is claimed by one worker only.
import { closeDb } from "#db/index";
import { parseCommandLine } from "./command-line";

const usage = `Usage: npm run worker

Sends queued mail and runs the scheduled jobs (reminders, digests, clean-up)
in a process of its own, every MAIL_WORKER_INTERVAL_MS, until stopped (SIGTERM
or Ctrl-C). Run the server with MAIL_WORKER=off when you use this.
Without SMTP_URL mail goes to the local mailbox at /outbox.
  -h, --help  show this help`;

async function main() {
  const args = parseCommandLine({ command: "npm run worker", usage, config: {} });
  if ("exitCode" in args) {
    process.exitCode = args.exitCode;
    return;
  }
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { redactConsole } = await import("~/utils/log-redaction.server");
  // Before anything can log: SMTP refusals quote addresses (as serve.ts does).
  redactConsole();
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { env, mailMode } = await import("~/utils/env.server");
  const { defaultMailTransport } = await import("~/mail/transport.server");
  const { startMailWorker } = await import("~/mail/worker.server");
  const { scheduledJobs } = await import("~/mail/scheduled-jobs.server");
  // The server migrates on start, but this may start first.
  await migrateDb(db);

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
    await closeDb(db);
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

await main();
