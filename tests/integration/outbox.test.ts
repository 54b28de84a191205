// The outbox's life cycle on a real SQLite file, with the clock passed in:
// queue, claim, retry with capped backoff, give up, fail for good, recover.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { outbox } from "#db/schema";
import {
  claimDueMail,
  countOutboxByStatus,
  enqueueMail,
  listOutboxProblems,
  markFailed,
  markRetry,
  markSent,
  maxSendAttempts,
  releaseClaimedMail,
  renewClaimedMail,
  requeueStuckMail,
  sendingLeaseMs,
} from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { insertQueuedMail } from "../factories";

const start = new Date("2024-06-10T12:00:00.000Z");
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

async function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
  return insertQueuedMail({
    kind: "candidate-ask",
    toAddress: "ada.lovelace@candidates.example.org",
    toName: "Ada Lovelace",
    replyTo: "sam.supporter@example.net",
    subject: "Will you sign the pledge?",
    textBody: "Dear Ada,\n\nPlease sign: http://localhost:3000/pledge\n",
    now: start,
    ...overrides,
  });
}

async function row(id: number) {
  return (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!;
}

test("a queued mail is due at once, with no attempts and a Message-ID of its own", async () => {
  const first = await queueMail();
  const second = await queueMail();

  const mail = await row(first);
  expect(mail).toMatchObject({ status: "queued", attempts: 0, nextAttemptAt: start.toISOString(), lastError: null });
  expect(mail.messageId).toMatch(/^<outbox\.[0-9a-z]+\.[0-9a-f]{24}@localhost>$/);
  expect((await row(second)).messageId).not.toBe(mail.messageId);
});

test("a mail queued in a transaction that rolls back is never sent", async () => {
  await expect(
    writeTransaction(db, async () => {
      await enqueueMail({
        kind: "ask-confirmation",
        toAddress: "a@example.org",
        subject: "s",
        textBody: "b",
        now: start,
      });
      throw new Error("the confirmation failed");
    }),
  ).rejects.toThrow("the confirmation failed");

  expect(await claimDueMail({ now: minutes(60), limit: 10 })).toEqual([]);
});

test("claiming takes due mail only, once, counts the attempt and holds it for the lease", async () => {
  const due = await queueMail();
  const later = await queueMail({ now: minutes(5) });

  const claimed = await claimDueMail({ now: minutes(1), limit: 10 });

  expect(claimed.map((m) => m.id)).toEqual([due]);
  expect(claimed[0]).toMatchObject({
    toAddress: "ada.lovelace@candidates.example.org",
    attempts: 1,
    messageId: (await row(due)).messageId,
  });
  expect(await row(due)).toMatchObject({
    status: "sending",
    attempts: 1,
    nextAttemptAt: new Date(minutes(1).getTime() + sendingLeaseMs).toISOString(),
  });
  expect((await row(later)).status).toBe("queued");
  expect(await claimDueMail({ now: minutes(1), limit: 10 })).toEqual([]);
});

test("claiming takes at most the batch size, oldest first", async () => {
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push(await queueMail({ now: minutes(i) }));

  expect((await claimDueMail({ now: minutes(10), limit: 3 })).map((m) => m.id)).toEqual(ids.slice(0, 3));
  expect((await claimDueMail({ now: minutes(10), limit: 3 })).map((m) => m.id)).toEqual(ids.slice(3));
});

test("a sent mail records when and is not claimed again", async () => {
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10 });

  await markSent({ id, now: minutes(1) });

  expect(await row(id)).toMatchObject({ status: "sent", sentAt: minutes(1).toISOString(), lastError: null });
  expect(await claimDueMail({ now: minutes(600), limit: 10 })).toEqual([]);
});

test("temporary failures back off 1, 2, 4 … minutes, capped at an hour, then the mail fails", async () => {
  const id = await queueMail();
  let now = start;
  const waits: number[] = [];
  for (let attempt = 1; attempt <= maxSendAttempts; attempt++) {
    expect((await claimDueMail({ now, limit: 10 })).map((m) => m.id)).toEqual([id]);
    await markRetry({ id, error: `451 4.3.0 Try again later (${attempt})`, now });
    const mail = await row(id);
    if (attempt < maxSendAttempts) {
      expect(mail).toMatchObject({
        status: "queued",
        attempts: attempt,
        lastError: `451 4.3.0 Try again later (${attempt})`,
      });
      const next = new Date(mail.nextAttemptAt);
      // Not due a moment before its time.
      expect(await claimDueMail({ now: new Date(next.getTime() - 1), limit: 10 })).toEqual([]);
      waits.push((next.getTime() - now.getTime()) / 60_000);
      now = next;
    }
  }

  expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
  expect(await row(id)).toMatchObject({ status: "failed", attempts: maxSendAttempts });
  expect((await row(id)).lastError).toBe(
    `Gave up after ${maxSendAttempts} attempts. Last error: 451 4.3.0 Try again later (${maxSendAttempts})`,
  );
  expect(await claimDueMail({ now: minutes(60 * 24), limit: 10 })).toEqual([]);
});

test("a permanent failure is not retried and keeps its error", async () => {
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10 });

  await markFailed({ id, error: "550 5.1.1 No such user" });

  expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: "550 5.1.1 No such user" });
  expect(await claimDueMail({ now: minutes(60 * 24), limit: 10 })).toEqual([]);
});

test("mail left sending by a stopped worker is sent again once its lease has run out", async () => {
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10 });
  const leaseEnds = new Date(start.getTime() + sendingLeaseMs);

  expect(await requeueStuckMail({ now: new Date(leaseEnds.getTime() - 1) })).toBe(0);
  expect((await row(id)).status).toBe("sending");

  expect(await requeueStuckMail({ now: leaseEnds })).toBe(1);
  expect(await row(id)).toMatchObject({
    status: "queued",
    attempts: 1,
    lastError: "The worker stopped while sending this message.",
  });
  const [again] = await claimDueMail({ now: leaseEnds, limit: 10 });
  expect(again).toMatchObject({ id, attempts: 2 });
});

test("the lease is well under a minute, and a claim its worker renews is not taken over", async () => {
  expect(sendingLeaseMs).toBeLessThanOrEqual(30_000);
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10, leaseMs: 3_000 });
  const renewedAt = new Date(start.getTime() + 2_000);
  await renewClaimedMail({ ids: [id], now: renewedAt, leaseMs: 3_000 });

  expect(await requeueStuckMail({ now: new Date(start.getTime() + 4_000) })).toBe(0);
  expect(await row(id)).toMatchObject({
    status: "sending",
    nextAttemptAt: new Date(renewedAt.getTime() + 3_000).toISOString(),
  });
  expect(await requeueStuckMail({ now: new Date(renewedAt.getTime() + 3_000) })).toBe(1);
});

test("renewing leaves mail already sent alone", async () => {
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10 });
  await markSent({ id, now: start });

  await renewClaimedMail({ ids: [id], now: minutes(5) });

  expect(await row(id)).toMatchObject({
    status: "sent",
    nextAttemptAt: new Date(start.getTime() + sendingLeaseMs).toISOString(),
  });
});

test("mail stuck on its last attempt fails rather than going round again", async () => {
  const id = await queueMail();
  await writeTransaction(db, () =>
    db
      .update(outbox)
      .set({ attempts: maxSendAttempts - 1 })
      .where(eq(outbox.id, id)),
  );
  await claimDueMail({ now: start, limit: 10 });

  await requeueStuckMail({ now: minutes(60) });

  expect(await row(id)).toMatchObject({ status: "failed", attempts: maxSendAttempts });
  expect((await row(id)).lastError).toContain("The worker stopped while sending this message.");
});

test("mail claimed but never handed over goes back without using an attempt", async () => {
  const id = await queueMail();
  await claimDueMail({ now: start, limit: 10 });

  await releaseClaimedMail({ ids: [id], now: minutes(1) });

  expect(await row(id)).toMatchObject({ status: "queued", attempts: 0, nextAttemptAt: minutes(1).toISOString() });
});

test("staff see the count in each state and the mail that failed or waits to retry, with the error", async () => {
  const sent = await queueMail({ subject: "sent" });
  const failed = await queueMail({ subject: "failed" });
  const retrying = await queueMail({ subject: "retrying" });
  await queueMail({ subject: "waiting" });
  await claimDueMail({ now: start, limit: 3 });
  await markSent({ id: sent, now: start });
  await markFailed({ id: failed, error: "550 5.1.1 No such user" });
  await markRetry({ id: retrying, error: "421 Service not available", now: start });

  expect(await countOutboxByStatus()).toEqual({ queued: 2, sending: 0, sent: 1, failed: 1, held: 0, cancelled: 0 });
  const problems = await listOutboxProblems();
  expect(problems.map((p) => [p.subject, p.status, p.lastError])).toEqual([
    ["retrying", "queued", "421 Service not available"],
    ["failed", "failed", "550 5.1.1 No such user"],
  ]);
});
