// The worker's retention jobs on a fake clock: client-address hashes on asks,
// rate-limit counters and the local mailbox go after the campaign's saved
// periods, but never while a rule that reads them may still need them.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { asks, mailbox, rateLimits } from "#db/schema";
import { scheduledJobs } from "~/mail/scheduled-jobs.server";
import { confirmAsk, submitAsk } from "~/models/ask.server";
import { storeMailboxMessage } from "~/models/mailbox.server";
import { hitRateLimit, rateLimitPolicy } from "~/models/rate-limit.server";
import { db } from "~/utils/db.server";
import { minClientDataHours } from "~/utils/retention";
import { outboxRows } from "../db";
import { buildAsk, insertCampaign, insertCandidacy, insertConstituency } from "../factories";
import { tokenIn } from "../links";
import { DAY, HOUR, MINUTE } from "../time";

const t0 = new Date("2024-06-20T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function runJobs(now: Date) {
  for (const job of scheduledJobs) job(now);
}

let n = 0;

function setUp(retention = {}) {
  insertCampaign({ retention });
  const seat = insertConstituency({ name: "Brackenby Vale" });
  const candidate = insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  return { constituencyCode: seat.gssCode, candidacyIds: [candidate.id] };
}

/** Submits an ask from a client address; returns its id and a function that confirms it from its newest link. */
function submit(seat: ReturnType<typeof setUp>, { clientIp, now }: { clientIp: string; now: Date }) {
  const email = `supporter${++n}@example.org`;
  submitAsk({ ask: buildAsk({ ...seat, email }), clientIp, now });
  const id = db.select({ id: asks.id }).from(asks).where(eq(asks.email, email)).get()!.id;
  // The newest link: after a day the reminder's replaces the first.
  const link = () =>
    outboxRows()
      .filter((m) => m.toAddress === email && (m.kind === "ask-confirmation" || m.kind === "ask-reminder"))
      .at(-1)!.textBody;
  return { id, confirm: (when: Date) => confirmAsk({ token: tokenIn(link(), "asks/confirm"), now: when }) };
}

function hashesOf(id: number) {
  return db
    .select({ address: asks.clientAddressHash, network: asks.clientNetworkHash, status: asks.status })
    .from(asks)
    .where(eq(asks.id, id))
    .get()!;
}

test("a confirmed ask's client-address hashes go once the saved period has passed, and not before", () => {
  const seat = setUp();
  const ask = submit(seat, { clientIp: "203.0.113.9", now: t0 });
  ask.confirm(at(MINUTE));
  runJobs(at(24 * HOUR - MINUTE));
  expect(hashesOf(ask.id).address).not.toBeNull();
  expect(hashesOf(ask.id).network).not.toBeNull();
  runJobs(at(24 * HOUR + MINUTE));
  expect(hashesOf(ask.id)).toMatchObject({ address: null, network: null, status: "confirmed" });
});

test("the period is the campaign's saved setting", () => {
  const seat = setUp({ clientDataHours: 72 });
  const ask = submit(seat, { clientIp: "203.0.113.9", now: t0 });
  ask.confirm(at(MINUTE));
  runJobs(at(71 * HOUR));
  expect(hashesOf(ask.id).address).not.toBeNull();
  runJobs(at(72 * HOUR + MINUTE));
  expect(hashesOf(ask.id).address).toBeNull();
});

test("hashes an unconfirmed ask will be checked against are kept until it is confirmed, and the burst is still held", () => {
  const seat = setUp();
  // Six asks from one address within ten minutes; five confirmed at once, the
  // sixth three days later. The volume rule counts the hour before the sixth
  // was made, so the five's hashes must outlive the 24 hours.
  const burst = Array.from({ length: 6 }, (_, i) => submit(seat, { clientIp: "203.0.113.9", now: at(i * 2 * MINUTE) }));
  for (const ask of burst.slice(0, 5)) ask.confirm(at(15 * MINUTE));
  // Confirmed on its own, more than an hour before the burst: no rule reads it again.
  const earlier = submit(seat, { clientIp: "203.0.113.9", now: at(-2 * HOUR) });
  earlier.confirm(at(-2 * HOUR + MINUTE));
  for (let day = 1; day <= 3; day++) runJobs(at(day * DAY));
  expect(hashesOf(earlier.id).address).toBeNull();
  for (const ask of burst) expect(hashesOf(ask.id).address).not.toBeNull();

  burst[5]!.confirm(at(3 * DAY + HOUR));
  expect(hashesOf(burst[5]!.id)).toMatchObject({ status: "held" });
  expect(db.select({ reasons: asks.holdReasons }).from(asks).where(eq(asks.id, burst[5]!.id)).get()!.reasons).toEqual([
    "address-volume",
  ]);
  // Held, staff may still block its address: kept until it is decided.
  runJobs(at(5 * DAY));
  expect(hashesOf(burst[5]!.id).address).not.toBeNull();
  for (const ask of burst.slice(0, 5)) expect(hashesOf(ask.id).address).toBeNull();
});

test("a rate-limit counter goes once its window is over and the period has passed, and not before", () => {
  setUp();
  const policy = rateLimitPolicy.askEmailMails;
  hitRateLimit({ key: "ask-email:someone", ...policy, now: t0 });
  runJobs(at(24 * HOUR - MINUTE));
  expect(db.select().from(rateLimits).all()).toHaveLength(1);
  runJobs(at(24 * HOUR + MINUTE));
  expect(db.select().from(rateLimits).all()).toHaveLength(0);
});

test("the client-data period is never shorter than the longest rate-limit window, so no open window is forgotten", () => {
  const longest = Math.max(...Object.values(rateLimitPolicy).map((p) => p.windowMs));
  expect(minClientDataHours * HOUR).toBeGreaterThanOrEqual(longest);
});

test("local mailbox copies go after the saved number of days", () => {
  setUp({ mailboxDays: 3 });
  const store = (deliveredAt: Date) =>
    storeMailboxMessage({
      outboxId: null,
      messageId: `<${deliveredAt.getTime()}@pledge.example>`,
      fromAddress: "streets@example.org",
      toAddress: "rajan@example.org",
      replyTo: null,
      subject: "Confirm your message",
      textBody: "Hello Rajan",
      raw: "Subject: Confirm your message\r\n\r\nHello Rajan",
      deliveredAt,
    });
  const old = store(t0);
  const recent = store(at(2 * DAY));
  runJobs(at(3 * DAY - MINUTE));
  expect(db.select({ id: mailbox.id }).from(mailbox).all()).toHaveLength(2);
  runJobs(at(3 * DAY + MINUTE));
  expect(db.select({ id: mailbox.id }).from(mailbox).all()).toEqual([{ id: recent }]);
  expect(old).not.toBe(recent);
});

test("with no campaign set up the jobs run with the default periods", () => {
  hitRateLimit({ key: "ask-email:someone", ...rateLimitPolicy.askEmailMails, now: t0 });
  runJobs(at(25 * HOUR));
  expect(db.select().from(rateLimits).all()).toHaveLength(0);
});

test("asks are anonymised the saved number of days after polling day, and not before", () => {
  const seat = setUp({ askDaysAfterPollingDay: 10 });
  const ask = submit(seat, { clientIp: "203.0.113.9", now: t0 });
  ask.confirm(at(MINUTE));
  const row = () =>
    db
      .select({ name: asks.name, email: asks.email, erasedAt: asks.erasedAt })
      .from(asks)
      .where(eq(asks.id, ask.id))
      .get()!;
  // Polling day was 4 July 2024: the ten days run out at midnight on 14 July, London time.
  runJobs(new Date("2024-07-13T22:59:00.000Z"));
  expect(row().erasedAt).toBeNull();
  expect(row().name).not.toBe("");
  runJobs(new Date("2024-07-13T23:01:00.000Z"));
  expect(row().erasedAt).not.toBeNull();
  expect(row().email).not.toMatch(/supporter/);
});
