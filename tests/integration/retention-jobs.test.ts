// The worker's retention jobs on a fake clock: client-address hashes on asks,
// rate-limit counters and the local mailbox go after the campaign's saved
// periods, but never while a rule that reads them may still need them.
import { writeTransaction } from "#db/index";
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

/** A worker tick's jobs, one after another, each finished before the next. */
async function runJobs(now: Date) {
  for (const job of scheduledJobs) await job(now);
}

let n = 0;

async function setUp(retention = {}) {
  await insertCampaign({ retention });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidate = await insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  return { constituencyCode: seat.gssCode, candidacyIds: [candidate.id] };
}

/** Submits an ask from a client address; returns its id and a function that confirms it from its newest link. */
async function submit(seat: Awaited<ReturnType<typeof setUp>>, { clientIp, now }: { clientIp: string; now: Date }) {
  const email = `supporter${++n}@example.org`;
  await submitAsk({ ask: buildAsk({ ...seat, email }), clientIp, now });
  const id = (await db.select({ id: asks.id }).from(asks).where(eq(asks.email, email)).limit(1))[0]!.id;
  // The newest link: after a day the reminder's replaces the first.
  const link = async () =>
    (await outboxRows())
      .filter((m) => m.toAddress === email && (m.kind === "ask-confirmation" || m.kind === "ask-reminder"))
      .at(-1)!.textBody;
  return { id, confirm: async (when: Date) => confirmAsk({ token: tokenIn(await link(), "asks/confirm"), now: when }) };
}

async function hashesOf(id: number) {
  return (
    await db
      .select({ address: asks.clientAddressHash, network: asks.clientNetworkHash, status: asks.status })
      .from(asks)
      .where(eq(asks.id, id))
      .limit(1)
  )[0]!;
}

test("a confirmed ask's client-address hashes go once the saved period has passed, and not before", async () => {
  const seat = await setUp();
  const ask = await submit(seat, { clientIp: "203.0.113.9", now: t0 });
  await ask.confirm(at(MINUTE));
  await runJobs(at(24 * HOUR - MINUTE));
  expect((await hashesOf(ask.id)).address).not.toBeNull();
  expect((await hashesOf(ask.id)).network).not.toBeNull();
  await runJobs(at(24 * HOUR + MINUTE));
  expect(await hashesOf(ask.id)).toMatchObject({ address: null, network: null, status: "confirmed" });
});

test("the period is the campaign's saved setting", async () => {
  const seat = await setUp({ clientDataHours: 72 });
  const ask = await submit(seat, { clientIp: "203.0.113.9", now: t0 });
  await ask.confirm(at(MINUTE));
  await runJobs(at(71 * HOUR));
  expect((await hashesOf(ask.id)).address).not.toBeNull();
  await runJobs(at(72 * HOUR + MINUTE));
  expect((await hashesOf(ask.id)).address).toBeNull();
});

test("hashes an unconfirmed ask will be checked against are kept until it is confirmed, and the burst is still held", async () => {
  const seat = await setUp();
  // Six asks from one address within ten minutes; five confirmed at once, the
  // sixth three days later. The volume rule counts the hour before the sixth
  // was made, so the five's hashes must outlive the 24 hours.
  const burst: Awaited<ReturnType<typeof submit>>[] = [];
  for (let i = 0; i < 6; i++) burst.push(await submit(seat, { clientIp: "203.0.113.9", now: at(i * 2 * MINUTE) }));
  for (const ask of burst.slice(0, 5)) await ask.confirm(at(15 * MINUTE));
  // Confirmed on its own, more than an hour before the burst: no rule reads it again.
  const earlier = await submit(seat, { clientIp: "203.0.113.9", now: at(-2 * HOUR) });
  await earlier.confirm(at(-2 * HOUR + MINUTE));
  for (let day = 1; day <= 3; day++) await runJobs(at(day * DAY));
  expect((await hashesOf(earlier.id)).address).toBeNull();
  for (const ask of burst) expect((await hashesOf(ask.id)).address).not.toBeNull();

  await burst[5]!.confirm(at(3 * DAY + HOUR));
  expect(await hashesOf(burst[5]!.id)).toMatchObject({ status: "held" });
  expect(
    (await db.select({ reasons: asks.holdReasons }).from(asks).where(eq(asks.id, burst[5]!.id)).limit(1))[0]!.reasons,
  ).toEqual(["address-volume"]);
  // Held, staff may still block its address: kept until it is decided.
  await runJobs(at(5 * DAY));
  expect((await hashesOf(burst[5]!.id)).address).not.toBeNull();
  for (const ask of burst.slice(0, 5)) expect((await hashesOf(ask.id)).address).toBeNull();
});

test("a rate-limit counter goes once its window is over and the period has passed, and not before", async () => {
  await setUp();
  const policy = rateLimitPolicy.askEmailMails;
  await writeTransaction(db, async () => hitRateLimit({ key: "ask-email:someone", ...policy, now: t0 }));
  await runJobs(at(24 * HOUR - MINUTE));
  expect(await db.select().from(rateLimits)).toHaveLength(1);
  await runJobs(at(24 * HOUR + MINUTE));
  expect(await db.select().from(rateLimits)).toHaveLength(0);
});

test("the client-data period is never shorter than the longest rate-limit window, so no open window is forgotten", () => {
  const longest = Math.max(...Object.values(rateLimitPolicy).map((p) => p.windowMs));
  expect(minClientDataHours * HOUR).toBeGreaterThanOrEqual(longest);
});

test("local mailbox copies go after the saved number of days", async () => {
  await setUp({ mailboxDays: 3 });
  const store = async (deliveredAt: Date) =>
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
  const old = await store(t0);
  const recent = await store(at(2 * DAY));
  await runJobs(at(3 * DAY - MINUTE));
  expect(await db.select({ id: mailbox.id }).from(mailbox)).toHaveLength(2);
  await runJobs(at(3 * DAY + MINUTE));
  expect(await db.select({ id: mailbox.id }).from(mailbox)).toEqual([{ id: recent }]);
  expect(old).not.toBe(recent);
});

test("with no campaign set up the jobs run with the default periods", async () => {
  await writeTransaction(db, async () =>
    hitRateLimit({ key: "ask-email:someone", ...rateLimitPolicy.askEmailMails, now: t0 }),
  );
  await runJobs(at(25 * HOUR));
  expect(await db.select().from(rateLimits)).toHaveLength(0);
});

test("asks are anonymised the saved number of days after polling day, and not before", async () => {
  const seat = await setUp({ askDaysAfterPollingDay: 10 });
  const ask = await submit(seat, { clientIp: "203.0.113.9", now: t0 });
  await ask.confirm(at(MINUTE));
  const row = async () =>
    (
      await db
        .select({ name: asks.name, email: asks.email, erasedAt: asks.erasedAt })
        .from(asks)
        .where(eq(asks.id, ask.id))
        .limit(1)
    )[0]!;
  // Polling day was 4 July 2024: the ten days run out at midnight on 14 July, London time.
  await runJobs(new Date("2024-07-13T22:59:00.000Z"));
  expect((await row()).erasedAt).toBeNull();
  expect((await row()).name).not.toBe("");
  await runJobs(new Date("2024-07-13T23:01:00.000Z"));
  expect((await row()).erasedAt).not.toBeNull();
  expect((await row()).email).not.toMatch(/supporter/);
});
