// Sends the outbox. Runs in the server process (scripts/serve.ts) unless
// MAIL_WORKER=off, or alone as `npm run worker`; both may run at once, since
// claiming a row is one IMMEDIATE transaction. Never started by a request, so
// a slow or dead SMTP server never slows a page.
import {
  claimDueMail,
  markFailed,
  markRetry,
  markSent,
  releaseClaimedMail,
  renewClaimedMail,
  requeueStuckMail,
  sendingLeaseMs,
  type OutboxMessage,
} from "~/models/outbox.server";
import { findSendingPause } from "~/models/sending-pause.server";
import { defaultMailTransport, findSender, sendOutboxMessage, type MailTransport } from "./transport.server";

export type ScheduledJob = (now: Date) => unknown;

export type DrainCounts = { sent: number; retried: number; failed: number; requeued: number };

// Ten sends in flight keep the pool's five connections busy while each waits
// for the server's reply; a batch of fifty keeps claim transactions few.
const defaultConcurrency = 10;
const batchSize = 50;

type Sender = Awaited<ReturnType<typeof findSender>>;

/**
 * Sends one claimed batch, at most `concurrency` at a time, and records each
 * outcome as it arrives. While any of it is unfinished, a heartbeat renews the
 * claim on what is left, so a slow server never lets another worker take over.
 */
async function sendBatch({
  messages,
  sender,
  transport,
  now,
  concurrency,
  counts,
  shouldStop,
}: {
  messages: OutboxMessage[];
  sender: Sender;
  transport: MailTransport;
  now: () => Date;
  concurrency: number;
  counts: DrainCounts;
  shouldStop: () => boolean;
}) {
  const unfinished = new Set(messages.map((m) => m.id));
  const heartbeat = setInterval(() => {
    renewClaimedMail({ ids: [...unfinished], now: now() }).catch((error: unknown) => {
      // A busy database: the next beat, a third of a lease later, tries again.
      console.error("The mail worker could not renew its claim:", error);
    });
  }, sendingLeaseMs / 3);
  let next = 0;
  async function lane() {
    while (next < messages.length && !shouldStop()) {
      const message = messages[next++]!;
      const result = await sendOutboxMessage({ message, sender, transport, now: now() });
      unfinished.delete(message.id);
      if (result.outcome === "sent") {
        await markSent({ id: message.id, now: now() });
        counts.sent++;
      } else if (result.outcome === "retry") {
        await markRetry({ id: message.id, error: result.error, now: now() });
        counts.retried++;
      } else {
        await markFailed({ id: message.id, error: result.error });
        counts.failed++;
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, lane));
  } finally {
    clearInterval(heartbeat);
  }
  // Stopping part-way: what was never handed to the transport goes back unused.
  await releaseClaimedMail({ ids: messages.slice(next).map((m) => m.id), now: now() });
}

async function sendDueMail({
  transport,
  now,
  concurrency,
  shouldStop,
}: {
  transport: MailTransport;
  now: () => Date;
  concurrency: number;
  shouldStop: () => boolean;
}): Promise<DrainCounts> {
  const counts: DrainCounts = { sent: 0, retried: 0, failed: 0, requeued: 0 };
  const sender = await findSender();
  while (!shouldStop()) {
    // Before every batch, not once per tick: a long backlog must not keep a
    // dead worker's mail waiting behind it.
    counts.requeued += await requeueStuckMail({ now: now() });
    // Also before every batch, so a pause stops a long backlog part-way, not
    // only at the next tick. What is already handed to the transport finishes.
    if (await findSendingPause()) break;
    const messages = await claimDueMail({ now: now(), limit: batchSize });
    if (messages.length === 0) break;
    await sendBatch({ messages, sender, transport, now, concurrency, counts, shouldStop });
  }
  return counts;
}

/**
 * Sends everything due at `now` (retries it schedules fall after `now`, so it
 * ends) and says what happened. For tests, the benchmark and one-off runs.
 */
export async function drainOutbox({
  now = new Date(),
  transport = defaultMailTransport(),
  concurrency = defaultConcurrency,
}: { now?: Date; transport?: MailTransport; concurrency?: number } = {}): Promise<DrainCounts> {
  return sendDueMail({ transport, now: () => now, concurrency, shouldStop: () => false });
}

/**
 * Every `intervalMs`: runs the scheduled jobs, then sends what is due. A tick
 * starts only after the last one ended, so ticks never overlap. stop() lets
 * the sends in flight finish, hands back the rest, and resolves when done.
 */
export function startMailWorker({
  jobs = [],
  intervalMs = 5_000,
  transport = defaultMailTransport(),
  concurrency = defaultConcurrency,
}: {
  jobs?: readonly ScheduledJob[];
  intervalMs?: number;
  transport?: MailTransport;
  concurrency?: number;
} = {}): { stop(): Promise<void> } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function tick() {
    const now = new Date();
    for (const job of jobs) {
      try {
        await job(now);
      } catch (error) {
        console.error(`Scheduled job ${job.name || "(anonymous)"} failed:`, error);
      }
    }
    try {
      const counts = await sendDueMail({ transport, now: () => new Date(), concurrency, shouldStop: () => stopping });
      if (counts.sent + counts.retried + counts.failed + counts.requeued > 0) {
        console.log(
          `Mail: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.requeued} recovered from a stopped worker.`,
        );
      }
    } catch (error) {
      console.error("The mail worker failed to send the outbox:", error);
    }
  }

  function schedule(delayMs: number) {
    if (stopping) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule(intervalMs);
      });
    }, delayMs);
  }

  schedule(0);
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
