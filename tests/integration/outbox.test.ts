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

function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
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

function row(id: number) {
  return db.select().from(outbox).where(eq(outbox.id, id)).get()!;
}

test("a queued mail is due at once, with no attempts and a Message-ID of its own", () => {
  const first = queueMail();
  const second = queueMail();

  const mail = row(first);
  expect(mail).toMatchObject({ status: "queued", attempts: 0, nextAttemptAt: start.toISOString(), lastError: null });
  expect(mail.messageId).toMatch(/^<outbox\.[0-9a-z]+\.[0-9a-f]{24}@localhost>$/);
  expect(row(second).messageId).not.toBe(mail.messageId);
});

test("a mail queued in a transaction that rolls back is never sent", () => {
  expect(() =>
    writeTransaction(db, () => {
      enqueueMail({ kind: "ask-confirmation", toAddress: "a@example.org", subject: "s", textBody: "b", now: start });
      throw new Error("the confirmation failed");
    }),
  ).toThrow("the confirmation failed");

  expect(claimDueMail({ now: minutes(60), limit: 10 })).toEqual([]);
});

test("claiming takes due mail only, once, counts the attempt and holds it for the lease", () => {
  const due = queueMail();
  const later = queueMail({ now: minutes(5) });

  const claimed = claimDueMail({ now: minutes(1), limit: 10 });

  expect(claimed.map((m) => m.id)).toEqual([due]);
  expect(claimed[0]).toMatchObject({
    toAddress: "ada.lovelace@candidates.example.org",
    attempts: 1,
    messageId: row(due).messageId,
  });
  expect(row(due)).toMatchObject({
    status: "sending",
    attempts: 1,
    nextAttemptAt: new Date(minutes(1).getTime() + sendingLeaseMs).toISOString(),
  });
  expect(row(later).status).toBe("queued");
  expect(claimDueMail({ now: minutes(1), limit: 10 })).toEqual([]);
});

test("claiming takes at most the batch size, oldest first", () => {
  const ids = Array.from({ length: 5 }, (_, i) => queueMail({ now: minutes(i) }));

  expect(claimDueMail({ now: minutes(10), limit: 3 }).map((m) => m.id)).toEqual(ids.slice(0, 3));
  expect(claimDueMail({ now: minutes(10), limit: 3 }).map((m) => m.id)).toEqual(ids.slice(3));
});

test("a sent mail records when and is not claimed again", () => {
  const id = queueMail();
  claimDueMail({ now: start, limit: 10 });

  markSent({ id, now: minutes(1) });

  expect(row(id)).toMatchObject({ status: "sent", sentAt: minutes(1).toISOString(), lastError: null });
  expect(claimDueMail({ now: minutes(600), limit: 10 })).toEqual([]);
});

test("temporary failures back off 1, 2, 4 … minutes, capped at an hour, then the mail fails", () => {
  const id = queueMail();
  let now = start;
  const waits: number[] = [];
  for (let attempt = 1; attempt <= maxSendAttempts; attempt++) {
    expect(claimDueMail({ now, limit: 10 }).map((m) => m.id)).toEqual([id]);
    markRetry({ id, error: `451 4.3.0 Try again later (${attempt})`, now });
    const mail = row(id);
    if (attempt < maxSendAttempts) {
      expect(mail).toMatchObject({
        status: "queued",
        attempts: attempt,
        lastError: `451 4.3.0 Try again later (${attempt})`,
      });
      const next = new Date(mail.nextAttemptAt);
      // Not due a moment before its time.
      expect(claimDueMail({ now: new Date(next.getTime() - 1), limit: 10 })).toEqual([]);
      waits.push((next.getTime() - now.getTime()) / 60_000);
      now = next;
    }
  }

  expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
  expect(row(id)).toMatchObject({ status: "failed", attempts: maxSendAttempts });
  expect(row(id).lastError).toBe(
    `Gave up after ${maxSendAttempts} attempts. Last error: 451 4.3.0 Try again later (${maxSendAttempts})`,
  );
  expect(claimDueMail({ now: minutes(60 * 24), limit: 10 })).toEqual([]);
});

test("a permanent failure is not retried and keeps its error", () => {
  const id = queueMail();
  claimDueMail({ now: start, limit: 10 });

  markFailed({ id, error: "550 5.1.1 No such user" });

  expect(row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: "550 5.1.1 No such user" });
  expect(claimDueMail({ now: minutes(60 * 24), limit: 10 })).toEqual([]);
});

test("mail left sending by a stopped worker is sent again once its lease has run out", () => {
  const id = queueMail();
  claimDueMail({ now: start, limit: 10 });
  const leaseEnds = new Date(start.getTime() + sendingLeaseMs);

  expect(requeueStuckMail({ now: new Date(leaseEnds.getTime() - 1) })).toBe(0);
  expect(row(id).status).toBe("sending");

  expect(requeueStuckMail({ now: leaseEnds })).toBe(1);
  expect(row(id)).toMatchObject({
    status: "queued",
    attempts: 1,
    lastError: "The worker stopped while sending this message.",
  });
  const [again] = claimDueMail({ now: leaseEnds, limit: 10 });
  expect(again).toMatchObject({ id, attempts: 2 });
});

test("the lease is well under a minute, and a claim its worker renews is not taken over", () => {
  expect(sendingLeaseMs).toBeLessThanOrEqual(30_000);
  const id = queueMail();
  claimDueMail({ now: start, limit: 10, leaseMs: 3_000 });
  const renewedAt = new Date(start.getTime() + 2_000);
  renewClaimedMail({ ids: [id], now: renewedAt, leaseMs: 3_000 });

  expect(requeueStuckMail({ now: new Date(start.getTime() + 4_000) })).toBe(0);
  expect(row(id)).toMatchObject({
    status: "sending",
    nextAttemptAt: new Date(renewedAt.getTime() + 3_000).toISOString(),
  });
  expect(requeueStuckMail({ now: new Date(renewedAt.getTime() + 3_000) })).toBe(1);
});

test("renewing leaves mail already sent alone", () => {
  const id = queueMail();
  claimDueMail({ now: start, limit: 10 });
  markSent({ id, now: start });

  renewClaimedMail({ ids: [id], now: minutes(5) });

  expect(row(id)).toMatchObject({
    status: "sent",
    nextAttemptAt: new Date(start.getTime() + sendingLeaseMs).toISOString(),
  });
});

test("mail stuck on its last attempt fails rather than going round again", () => {
  const id = queueMail();
  db.update(outbox)
    .set({ attempts: maxSendAttempts - 1 })
    .where(eq(outbox.id, id))
    .run();
  claimDueMail({ now: start, limit: 10 });

  requeueStuckMail({ now: minutes(60) });

  expect(row(id)).toMatchObject({ status: "failed", attempts: maxSendAttempts });
  expect(row(id).lastError).toContain("The worker stopped while sending this message.");
});

test("mail claimed but never handed over goes back without using an attempt", () => {
  const id = queueMail();
  claimDueMail({ now: start, limit: 10 });

  releaseClaimedMail({ ids: [id], now: minutes(1) });

  expect(row(id)).toMatchObject({ status: "queued", attempts: 0, nextAttemptAt: minutes(1).toISOString() });
});

test("staff see the count in each state and the mail that failed or waits to retry, with the error", () => {
  const sent = queueMail({ subject: "sent" });
  const failed = queueMail({ subject: "failed" });
  const retrying = queueMail({ subject: "retrying" });
  queueMail({ subject: "waiting" });
  claimDueMail({ now: start, limit: 3 });
  markSent({ id: sent, now: start });
  markFailed({ id: failed, error: "550 5.1.1 No such user" });
  markRetry({ id: retrying, error: "421 Service not available", now: start });

  expect(countOutboxByStatus()).toEqual({ queued: 2, sending: 0, sent: 1, failed: 1, held: 0, cancelled: 0 });
  const problems = listOutboxProblems();
  expect(problems.map((p) => [p.subject, p.status, p.lastError])).toEqual([
    ["retrying", "queued", "421 Service not available"],
    ["failed", "failed", "550 5.1.1 No such user"],
  ]);
});
