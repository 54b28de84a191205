// The outbox as organisers work it from the staff console: find a mail, read
// it without its link tokens, retry a failed one, stop one before it goes.
import { writeTransaction } from "#db/index";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, outbox } from "#db/schema";
import {
  cancelMail,
  claimDueMail,
  findOutboxMessageForStaff,
  listOutboxForStaff,
  markSent,
  retryFailedMail,
} from "~/models/outbox.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { db } from "~/utils/db.server";
import { generateToken } from "~/utils/tokens.server";
import { insertFailedMail, insertQueuedMail } from "../factories";
import { saveTestCampaign } from "../mail-server";
import { anyLinkTo } from "../links";
import { MINUTE } from "../time";

const start = new Date("2024-06-10T12:00:00.000Z");
const later = (ms: number) => new Date(start.getTime() + ms);
const organiser = "organiser@campaign.example.org";

async function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
  return insertQueuedMail({ now: start, ...overrides });
}

async function failedMail(overrides: Parameters<typeof insertFailedMail>[0] = {}) {
  return insertFailedMail({ now: start, ...overrides });
}

async function row(id: number) {
  return (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!;
}

async function audit() {
  return await db.select().from(auditLog);
}

test("the staff list shows the newest mail first, a page at a time, with how many there are", async () => {
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push(await queueMail({ now: later(i * MINUTE), subject: `Mail ${i}` }));

  const first = await listOutboxForStaff({ page: 1, pageSize: 2 });
  expect(first.rows.map((r) => r.id)).toEqual([ids[4], ids[3]]);
  expect(first).toMatchObject({ total: 5, page: 1, pageCount: 3 });
  expect(first.rows[0]).toEqual({
    id: ids[4],
    kind: "ask-confirmation",
    toAddress: "sam.supporter@example.net",
    subject: "Mail 4",
    status: "queued",
    attempts: 0,
    lastError: null,
    nextAttemptAt: later(4 * MINUTE).toISOString(),
    sentAt: null,
    createdAt: later(4 * MINUTE).toISOString(),
  });
  expect((await listOutboxForStaff({ page: 3, pageSize: 2 })).rows.map((r) => r.id)).toEqual([ids[0]]);
  // Past the end (an old link, a hand-edited URL): the last page, not an empty one.
  expect(await listOutboxForStaff({ page: 9, pageSize: 2 })).toMatchObject({ page: 3, rows: [{ id: ids[0] }] });
  expect(await listOutboxForStaff({ page: 1 })).toMatchObject({ total: 5, pageCount: 1 });
});

test("an empty outbox is one empty page", async () => {
  expect(await listOutboxForStaff({ page: 1 })).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
});

test("the list narrows to one status and one kind", async () => {
  const failed = await failedMail({ kind: "candidate-ask" });
  const queuedAsk = await queueMail({ kind: "candidate-ask" });
  await queueMail({ kind: "ask-confirmation" });

  expect((await listOutboxForStaff({ status: "failed", page: 1 })).rows.map((r) => r.id)).toEqual([failed]);
  expect((await listOutboxForStaff({ kind: "candidate-ask", page: 1 })).rows.map((r) => r.id)).toEqual([
    queuedAsk,
    failed,
  ]);
  expect(await listOutboxForStaff({ kind: "candidate-ask", status: "queued", page: 1 })).toMatchObject({
    total: 1,
    rows: [{ id: queuedAsk }],
  });
});

test("a recipient search matches part of the address or the name, in any case", async () => {
  const ada = await queueMail({ toAddress: "ada.lovelace@candidates.example.org", toName: "Ada Lovelace" });
  const grace = await queueMail({ toAddress: "g.hopper@example.net", toName: "Grace Hopper" });
  const unnamed = await queueMail({ toAddress: "someone@example.com", toName: null });

  expect((await listOutboxForStaff({ recipient: "LOVELACE@", page: 1 })).rows.map((r) => r.id)).toEqual([ada]);
  expect((await listOutboxForStaff({ recipient: "grace hop", page: 1 })).rows.map((r) => r.id)).toEqual([grace]);
  expect((await listOutboxForStaff({ recipient: "example.com", page: 1 })).rows.map((r) => r.id)).toEqual([unnamed]);
  expect((await listOutboxForStaff({ recipient: "  ", page: 1 })).total).toBe(3);
});

test("% and _ in a recipient search are matched as typed, not as wildcards", async () => {
  const underscored = await queueMail({ toAddress: "first_last@example.org", toName: null });
  await queueMail({ toAddress: "firstxlast@example.org", toName: "100 Percent" });

  expect((await listOutboxForStaff({ recipient: "first_last", page: 1 })).rows.map((r) => r.id)).toEqual([underscored]);
  expect((await listOutboxForStaff({ recipient: "%", page: 1 })).total).toBe(0);
  expect((await listOutboxForStaff({ recipient: "\\", page: 1 })).total).toBe(0);
});

test("staff read a queued mail with its link tokens struck out, and the stored mail keeps them for sending", async () => {
  const { token } = generateToken();
  const id = await queueMail({ textBody: `Confirm here: http://localhost:3000/asks/confirm/${token}\n` });

  const shown = await findOutboxMessageForStaff({ id });
  expect(shown).toMatchObject({ id, status: "queued", toName: "Sam Supporter", subject: "Confirm your message" });
  expect(shown?.textBody).toBe("Confirm here: http://localhost:3000/asks/confirm/[removed once sent]\n");
  expect(shown?.textBody).not.toMatch(anyLinkTo("asks/confirm"));
  expect((await row(id)).textBody).toContain(token);
  expect(await findOutboxMessageForStaff({ id: id + 100 })).toBeNull();
});

test("retrying a failed mail queues it for a fresh run of attempts now, keeps its last error, and is audited", async () => {
  const id = await failedMail({ kind: "candidate-ask" });
  const now = later(30 * MINUTE);

  expect(await retryFailedMail({ id, actor: organiser, now })).toBe("retried");
  expect(await row(id)).toMatchObject({
    status: "queued",
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    lastError: "550 No such user",
  });
  expect((await claimDueMail({ now, limit: 10 })).map((m) => m.id)).toEqual([id]);
  expect(await audit()).toEqual([
    expect.objectContaining({
      actor: organiser,
      action: "outbox.retry",
      subject: `outbox:${id}`,
      details: { kind: "candidate-ask" },
      createdAt: now.toISOString(),
    }),
  ]);
  expect(JSON.stringify(await audit())).not.toContain("sam.supporter@example.net");
});

test("only a failed mail can be retried; anything else is left exactly as it was", async () => {
  const queued = await queueMail();
  const sent = await queueMail();
  await claimDueMail({ now: start, limit: 10 });
  await markSent({ id: sent, now: start });
  const before = [await row(queued), await row(sent)];

  expect(await retryFailedMail({ id: sent, actor: organiser, now: later(MINUTE) })).toBe("not-failed");
  expect(await retryFailedMail({ id: queued, actor: organiser, now: later(MINUTE) })).toBe("not-failed");
  expect(await retryFailedMail({ id: sent + 100, actor: organiser, now: later(MINUTE) })).toBe("not-found");
  expect([await row(queued), await row(sent)]).toEqual(before);
  expect(await audit()).toEqual([]);
});

test("cancelling a queued or held mail stops it, and each is audited without the address", async () => {
  const queued = await queueMail({ kind: "candidate-ask" });
  const held = await queueMail({ kind: "ask-already" });
  // Nothing writes held mail yet (the review queue will); set it as it will.
  await writeTransaction(db, () => db.update(outbox).set({ status: "held" }).where(eq(outbox.id, held)));
  const now = later(5 * MINUTE);

  expect(await cancelMail({ id: queued, actor: organiser, now })).toBe("cancelled");
  expect(await cancelMail({ id: held, actor: organiser, now })).toBe("cancelled");
  expect([(await row(queued)).status, (await row(held)).status]).toEqual(["cancelled", "cancelled"]);
  expect((await audit()).map((a) => [a.actor, a.action, a.subject, a.details])).toEqual([
    [organiser, "outbox.cancel", `outbox:${queued}`, { kind: "candidate-ask", from: "queued" }],
    [organiser, "outbox.cancel", `outbox:${held}`, { kind: "ask-already", from: "held" }],
  ]);
  expect(JSON.stringify(await audit())).not.toMatch(/sam|supporter@/i);
});

test("a mail being sent, sent, failed or already cancelled cannot be cancelled, and nothing changes", async () => {
  const sending = await queueMail();
  await claimDueMail({ now: start, limit: 1 });
  const sent = await queueMail();
  await claimDueMail({ now: start, limit: 1 });
  await markSent({ id: sent, now: start });
  const failed = await failedMail();
  const cancelled = await queueMail();
  await cancelMail({ id: cancelled, actor: organiser, now: start });
  const ids = [sending, sent, failed, cancelled];
  const before = [];
  for (const id of ids) before.push(await row(id));
  const audited = (await audit()).length;

  for (const id of ids) expect(await cancelMail({ id, actor: organiser, now: later(MINUTE) })).toBe("not-cancellable");
  expect(await cancelMail({ id: cancelled + 100, actor: organiser, now: later(MINUTE) })).toBe("not-found");
  const after = [];
  for (const id of ids) after.push(await row(id));
  expect(after).toEqual(before);
  expect(await audit()).toHaveLength(audited);
});

test("the worker never sends a cancelled or held mail, and still sends the rest", async () => {
  await saveTestCampaign({ name: "Clean Rivers Pledge", fromEmail: "pledge@cleanrivers.example.org" });
  const cancelled = await queueMail();
  const held = await queueMail();
  const queued = await queueMail();
  await cancelMail({ id: cancelled, actor: organiser, now: start });
  await writeTransaction(db, () => db.update(outbox).set({ status: "held" }).where(eq(outbox.id, held)));

  const drained = await drainOutbox({ transport: createMailTransport(undefined), now: later(MINUTE) });
  expect(drained.sent).toBe(1);
  expect(
    [await row(cancelled), await row(held), await row(queued)].map((r) => [r.status, r.attempts, r.sentAt]),
  ).toEqual([
    ["cancelled", 0, null],
    ["held", 0, null],
    ["sent", 1, later(MINUTE).toISOString()],
  ]);
});
