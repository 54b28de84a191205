// The outbox as organisers work it from the staff console: find a mail, read
// it without its link tokens, retry a failed one, stop one before it goes.
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

function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
  return insertQueuedMail({ now: start, ...overrides });
}

function failedMail(overrides: Parameters<typeof insertFailedMail>[0] = {}) {
  return insertFailedMail({ now: start, ...overrides });
}

function row(id: number) {
  return db.select().from(outbox).where(eq(outbox.id, id)).get()!;
}

function audit() {
  return db.select().from(auditLog).all();
}

test("the staff list shows the newest mail first, a page at a time, with how many there are", () => {
  const ids = Array.from({ length: 5 }, (_, i) => queueMail({ now: later(i * MINUTE), subject: `Mail ${i}` }));

  const first = listOutboxForStaff({ page: 1, pageSize: 2 });
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
  expect(listOutboxForStaff({ page: 3, pageSize: 2 }).rows.map((r) => r.id)).toEqual([ids[0]]);
  // Past the end (an old link, a hand-edited URL): the last page, not an empty one.
  expect(listOutboxForStaff({ page: 9, pageSize: 2 })).toMatchObject({ page: 3, rows: [{ id: ids[0] }] });
  expect(listOutboxForStaff({ page: 1 })).toMatchObject({ total: 5, pageCount: 1 });
});

test("an empty outbox is one empty page", () => {
  expect(listOutboxForStaff({ page: 1 })).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
});

test("the list narrows to one status and one kind", () => {
  const failed = failedMail({ kind: "candidate-ask" });
  const queuedAsk = queueMail({ kind: "candidate-ask" });
  queueMail({ kind: "ask-confirmation" });

  expect(listOutboxForStaff({ status: "failed", page: 1 }).rows.map((r) => r.id)).toEqual([failed]);
  expect(listOutboxForStaff({ kind: "candidate-ask", page: 1 }).rows.map((r) => r.id)).toEqual([queuedAsk, failed]);
  expect(listOutboxForStaff({ kind: "candidate-ask", status: "queued", page: 1 })).toMatchObject({
    total: 1,
    rows: [{ id: queuedAsk }],
  });
});

test("a recipient search matches part of the address or the name, in any case", () => {
  const ada = queueMail({ toAddress: "ada.lovelace@candidates.example.org", toName: "Ada Lovelace" });
  const grace = queueMail({ toAddress: "g.hopper@example.net", toName: "Grace Hopper" });
  const unnamed = queueMail({ toAddress: "someone@example.com", toName: null });

  expect(listOutboxForStaff({ recipient: "LOVELACE@", page: 1 }).rows.map((r) => r.id)).toEqual([ada]);
  expect(listOutboxForStaff({ recipient: "grace hop", page: 1 }).rows.map((r) => r.id)).toEqual([grace]);
  expect(listOutboxForStaff({ recipient: "example.com", page: 1 }).rows.map((r) => r.id)).toEqual([unnamed]);
  expect(listOutboxForStaff({ recipient: "  ", page: 1 }).total).toBe(3);
});

test("% and _ in a recipient search are matched as typed, not as wildcards", () => {
  const underscored = queueMail({ toAddress: "first_last@example.org", toName: null });
  queueMail({ toAddress: "firstxlast@example.org", toName: "100 Percent" });

  expect(listOutboxForStaff({ recipient: "first_last", page: 1 }).rows.map((r) => r.id)).toEqual([underscored]);
  expect(listOutboxForStaff({ recipient: "%", page: 1 }).total).toBe(0);
  expect(listOutboxForStaff({ recipient: "\\", page: 1 }).total).toBe(0);
});

test("staff read a queued mail with its link tokens struck out, and the stored mail keeps them for sending", () => {
  const { token } = generateToken();
  const id = queueMail({ textBody: `Confirm here: http://localhost:3000/asks/confirm/${token}\n` });

  const shown = findOutboxMessageForStaff({ id });
  expect(shown).toMatchObject({ id, status: "queued", toName: "Sam Supporter", subject: "Confirm your message" });
  expect(shown?.textBody).toBe("Confirm here: http://localhost:3000/asks/confirm/[removed once sent]\n");
  expect(shown?.textBody).not.toMatch(anyLinkTo("asks/confirm"));
  expect(row(id).textBody).toContain(token);
  expect(findOutboxMessageForStaff({ id: id + 100 })).toBeNull();
});

test("retrying a failed mail queues it for a fresh run of attempts now, keeps its last error, and is audited", () => {
  const id = failedMail({ kind: "candidate-ask" });
  const now = later(30 * MINUTE);

  expect(retryFailedMail({ id, actor: organiser, now })).toBe("retried");
  expect(row(id)).toMatchObject({
    status: "queued",
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    lastError: "550 No such user",
  });
  expect(claimDueMail({ now, limit: 10 }).map((m) => m.id)).toEqual([id]);
  expect(audit()).toEqual([
    expect.objectContaining({
      actor: organiser,
      action: "outbox.retry",
      subject: `outbox:${id}`,
      details: { kind: "candidate-ask" },
      createdAt: now.toISOString(),
    }),
  ]);
  expect(JSON.stringify(audit())).not.toContain("sam.supporter@example.net");
});

test("only a failed mail can be retried; anything else is left exactly as it was", () => {
  const queued = queueMail();
  const sent = queueMail();
  claimDueMail({ now: start, limit: 10 });
  markSent({ id: sent, now: start });
  const before = [row(queued), row(sent)];

  expect(retryFailedMail({ id: sent, actor: organiser, now: later(MINUTE) })).toBe("not-failed");
  expect(retryFailedMail({ id: queued, actor: organiser, now: later(MINUTE) })).toBe("not-failed");
  expect(retryFailedMail({ id: sent + 100, actor: organiser, now: later(MINUTE) })).toBe("not-found");
  expect([row(queued), row(sent)]).toEqual(before);
  expect(audit()).toEqual([]);
});

test("cancelling a queued or held mail stops it, and each is audited without the address", () => {
  const queued = queueMail({ kind: "candidate-ask" });
  const held = queueMail({ kind: "ask-already" });
  // Nothing writes held mail yet (the review queue will); set it as it will.
  db.update(outbox).set({ status: "held" }).where(eq(outbox.id, held)).run();
  const now = later(5 * MINUTE);

  expect(cancelMail({ id: queued, actor: organiser, now })).toBe("cancelled");
  expect(cancelMail({ id: held, actor: organiser, now })).toBe("cancelled");
  expect([row(queued).status, row(held).status]).toEqual(["cancelled", "cancelled"]);
  expect(audit().map((a) => [a.actor, a.action, a.subject, a.details])).toEqual([
    [organiser, "outbox.cancel", `outbox:${queued}`, { kind: "candidate-ask", from: "queued" }],
    [organiser, "outbox.cancel", `outbox:${held}`, { kind: "ask-already", from: "held" }],
  ]);
  expect(JSON.stringify(audit())).not.toMatch(/sam|supporter@/i);
});

test("a mail being sent, sent, failed or already cancelled cannot be cancelled, and nothing changes", () => {
  const sending = queueMail();
  claimDueMail({ now: start, limit: 1 });
  const sent = queueMail();
  claimDueMail({ now: start, limit: 1 });
  markSent({ id: sent, now: start });
  const failed = failedMail();
  const cancelled = queueMail();
  cancelMail({ id: cancelled, actor: organiser, now: start });
  const ids = [sending, sent, failed, cancelled];
  const before = ids.map(row);
  const audited = audit().length;

  for (const id of ids) expect(cancelMail({ id, actor: organiser, now: later(MINUTE) })).toBe("not-cancellable");
  expect(cancelMail({ id: cancelled + 100, actor: organiser, now: later(MINUTE) })).toBe("not-found");
  expect(ids.map(row)).toEqual(before);
  expect(audit()).toHaveLength(audited);
});

test("the worker never sends a cancelled or held mail, and still sends the rest", async () => {
  await saveTestCampaign({ name: "Clean Rivers Pledge", fromEmail: "pledge@cleanrivers.example.org" });
  const cancelled = queueMail();
  const held = queueMail();
  const queued = queueMail();
  cancelMail({ id: cancelled, actor: organiser, now: start });
  db.update(outbox).set({ status: "held" }).where(eq(outbox.id, held)).run();

  const drained = await drainOutbox({ transport: createMailTransport(undefined), now: later(MINUTE) });
  expect(drained.sent).toBe(1);
  expect([row(cancelled), row(held), row(queued)].map((r) => [r.status, r.attempts, r.sentAt])).toEqual([
    ["cancelled", 0, null],
    ["held", 0, null],
    ["sent", 1, later(MINUTE).toISOString()],
  ]);
});
