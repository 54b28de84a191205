// A mail worker killed with kill -9 in the middle of a batch, with real
// processes: `scripts/worker.ts` against this test's database file and a real
// SMTP server on 127.0.0.1 that stalls, so the sends are in flight when the
// worker dies. A second worker, running all along, must leave the live
// worker's claim alone, then pick the dead one's mail up once its short lease
// runs out, and resend exactly the bytes the first attempt put on the wire.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { asc, inArray } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { outbox } from "#db/schema";
import { enqueueMail } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { waitFor } from "../e2e/wait-for";
import { saveTestCampaign, startTestMailServer } from "../mail-server";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const leaseMs = 3_000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Worker = { child: ChildProcess; output: () => string; exited: Promise<unknown> };

function startWorker(smtpUrl: string): Worker {
  // node --import tsx rather than the tsx CLI, so the PID is the worker's own and kill -9 reaches it.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: repoDir,
    env: { ...process.env, SMTP_URL: smtpUrl, MAIL_WORKER_INTERVAL_MS: "100", MAIL_SENDING_LEASE_MS: String(leaseMs) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  return { child, output: () => output, exited };
}

async function rows(ids: number[]) {
  return await db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(asc(outbox.id));
}

test("mail a killed worker was sending is resent, byte for byte, by the next worker once the lease runs out, and never while it lives", async () => {
  await saveTestCampaign();
  let stalling = true;
  const server = await startTestMailServer({ stallData: () => stalling });
  cleanups.push(() => server.close());
  // Six mails: five go on the wire at once (the transport pools five
  // connections) and stall there; the sixth waits inside the dying worker.
  const ids = await writeTransaction(db, async () => {
    const queued: number[] = [];
    for (let i = 0; i < 6; i++) {
      queued.push(
        await enqueueMail({
          kind: "candidate-ask",
          toAddress: `candidate${i}@candidates.example.org`,
          toName: `Candidate ${i}`,
          replyTo: "sam.supporter@example.net",
          subject: "Will you sign the Clean Rivers pledge?",
          textBody: `Dear Candidate ${i},\n\nPlease sign: http://localhost:3000/pledge\n`,
          now: new Date(),
        }),
      );
    }
    return queued;
  });

  const first = startWorker(server.url);
  await waitFor("five mails stalled on the wire", () => server.stalled.length === 5, 60_000);
  const firstClaim = await rows(ids);
  expect(firstClaim.every((r) => r.status === "sending" && r.attempts === 1)).toBe(true);

  // A second worker polls every 100 ms all the while. Past the first claim's
  // expiry, the live worker's heartbeat has renewed it, so nothing is taken over.
  const second = startWorker(server.url);
  await waitFor("the second worker to start", () => second.output().includes("Mail worker sending over SMTP"), 60_000);
  const firstExpiry = Math.max(...firstClaim.map((r) => Date.parse(r.nextAttemptAt)));
  await waitFor("the first claim's lease to pass", () => Date.now() > firstExpiry + 1_000, 10 * leaseMs);
  const stillHeld = await rows(ids);
  expect(stillHeld.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["sending", 1]));
  expect(stillHeld.every((r) => Date.parse(r.nextAttemptAt) > firstExpiry)).toBe(true);
  expect(server.stalled).toHaveLength(5);
  expect(server.received).toHaveLength(0);

  first.child.kill("SIGKILL");
  await first.exited;
  stalling = false;

  // Well inside a minute (the old claim lasted ten); the bound is only there so a failure ends.
  await waitFor("every mail to arrive", () => server.received.length === 6, 50_000);
  await waitFor("every row marked sent", async () => (await rows(ids)).every((r) => r.status === "sent"), 10_000);

  expect(server.received.map((m) => m.envelope.to[0]).sort()).toEqual(
    ids.map((_, i) => `candidate${i}@candidates.example.org`),
  );
  for (const stalled of server.stalled) {
    const resent = server.received.find((m) => m.parsed.messageId === stalled.parsed.messageId);
    expect(resent?.raw).toBe(stalled.raw);
  }
  const sent = await rows(ids);
  expect(sent.every((r) => r.attempts === 2 && r.lastError === null)).toBe(true);
  // The summary is printed after the rows are marked sent, and reaches us through a pipe.
  await waitFor("the second worker's summary", () => /Mail: \d/.test(second.output()), 10_000);
  expect(second.output()).toMatch(/6 sent, 0 to retry, 0 failed, 6 recovered from a stopped worker/);

  second.child.kill("SIGTERM");
  await second.exited;
}, 180_000);
