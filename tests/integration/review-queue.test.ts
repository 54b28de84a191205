// The review queue: asks that look like abuse are held at confirmation, their
// mails written but not sent, until an organiser releases or rejects them.
import { writeTransaction } from "#db/index";
import { eq, ne } from "drizzle-orm";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { asks, auditLog, campaigns } from "#db/schema";
import { addBlockListEntry, blockFromAsk, removeBlockListEntry } from "~/models/block-list.server";
import { queueDueDigests } from "~/models/digest.server";
import { listHeldAsks, rejectAsk, releaseAsk, setHiddenFromPublicList } from "~/models/review.server";
import { countConfirmedAsks, listRecentPublicSupporters } from "~/models/supporter.server";
import { db } from "~/utils/db.server";
import { outboxRows } from "../db";
import { insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { insertStaffAccount } from "../staff";
import { MINUTE } from "../time";

const t0 = new Date("2024-06-20T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const reviewer = { id: 0, email: "organiser@campaign.example" };

beforeEach(async () => {
  reviewer.id = (await insertStaffAccount({ role: "organiser", email: reviewer.email })).id;
});
let n = 0;

afterEach(() => {
  vi.useRealTimers();
});

async function setUp(reviewRules = {}) {
  await insertCampaign({ reviewRules });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidates = [
    await insertCandidacy({ constituency: seat, email: "ruth@example.net" }),
    await insertCandidacy({ constituency: seat, email: "edward@example.org" }),
  ];
  return { seat, candidacyIds: candidates.map((c) => c.id) };
}

type Seat = Awaited<ReturnType<typeof setUp>>;

/** `count` asks made one after another, as a stream of supporters would. */
async function asksInTurn(count: number, make: (i: number) => ReturnType<typeof ask>) {
  const rows: Awaited<ReturnType<typeof ask>>[] = [];
  for (let i = 0; i < count; i++) rows.push(await make(i));
  return rows;
}

/** Makes and confirms an ask; returns its row. */
async function ask(
  seat: Seat,
  {
    clientIp = `10.200.${++n}.1`,
    email = `supporter${++n}@example.org`,
    personalMessage = null,
    now = t0,
    showOnPublicList = false,
  }: {
    clientIp?: string;
    email?: string;
    personalMessage?: string | null;
    now?: Date;
    showOnPublicList?: boolean;
  } = {},
) {
  await insertConfirmedAsk({
    constituencyCode: seat.seat.gssCode,
    candidacyIds: seat.candidacyIds,
    clientIp,
    email,
    personalMessage,
    showOnPublicList,
    now,
  });
  return (await db.select().from(asks).where(eq(asks.email, email)).limit(1))[0]!;
}

async function candidateMailStatuses(askId: number) {
  return (await outboxRows("candidate-ask")).filter((m) => m.askId === askId).map((m) => m.status);
}

test("an ordinary ask is confirmed and its mails queued", async () => {
  const seat = await setUp();
  const row = await ask(seat, { personalMessage: "My neighbours came here as refugees." });
  expect(row).toMatchObject({ status: "confirmed", holdReasons: [], heldAt: null });
  expect(await candidateMailStatuses(row.id)).toEqual(["queued", "queued"]);
});

test("more than five asks from one address in an hour are held, with their mails; an hour later they are not", async () => {
  const seat = await setUp();
  const rows = await asksInTurn(6, (i) => ask(seat, { clientIp: "203.0.113.9", now: at(i * MINUTE) }));
  expect(rows.slice(0, 5).map((r) => r.status)).toEqual(Array(5).fill("confirmed"));
  expect(rows[5]).toMatchObject({ status: "held", holdReasons: ["address-volume"] });
  expect(await candidateMailStatuses(rows[5]!.id)).toEqual(["held", "held"]);
  expect((await ask(seat, { clientIp: "203.0.113.9", now: at(66 * MINUTE) })).status).toBe("confirmed");
});

test("more than twenty asks from one /24 network in an hour are held", async () => {
  const seat = await setUp();
  const rows = await asksInTurn(21, (i) => ask(seat, { clientIp: `198.51.100.${i + 1}`, now: at(i * MINUTE) }));
  expect(rows.filter((r) => r.status === "held").map((r) => r.holdReasons)).toEqual([["network-volume"]]);
});

test("the thresholds are campaign settings", async () => {
  const seat = await setUp({ maxAsksPerAddressPerHour: 1 });
  expect((await ask(seat, { clientIp: "203.0.113.9" })).status).toBe("confirmed");
  expect((await ask(seat, { clientIp: "203.0.113.9" })).status).toBe("held");
});

test("asks from this machine itself are never held for their volume: the address says nothing", async () => {
  const seat = await setUp();
  const rows = await asksInTurn(8, (i) => ask(seat, { clientIp: "127.0.0.1", now: at(i * 2 * MINUTE) }));
  expect(rows.map((r) => r.status)).toEqual(Array(8).fill("confirmed"));
  expect(rows[0]!.clientAddressHash).toBeNull();
});

test("a disposable email domain is held, unless the campaign turns the rule off", async () => {
  const seat = await setUp();
  expect(await ask(seat, { email: "throwaway@mailinator.com" })).toMatchObject({
    status: "held",
    holdReasons: ["disposable-domain"],
  });
});

test("with the disposable-domain rule off, such an ask is sent", async () => {
  const seat = await setUp({ holdDisposableDomains: false });
  expect((await ask(seat, { email: "throwaway@mailinator.com" })).status).toBe("confirmed");
});

test("the same paragraph in more than ten asks is held, whatever its case and spacing; short lines are never compared", async () => {
  const seat = await setUp();
  const paragraph = "My grandparents came here as refugees and this country gave them a future.";
  const variants = [paragraph, paragraph.toUpperCase(), paragraph.replaceAll(" ", "  "), ` ${paragraph}\n`];
  const rows = await asksInTurn(11, (i) =>
    ask(seat, { personalMessage: variants[i % variants.length]!, now: at(i * 10 * MINUTE) }),
  );
  expect(rows.map((r) => r.status)).toEqual([...Array(10).fill("confirmed"), "held"]);
  expect(rows[10]!.holdReasons).toEqual(["repeated-message"]);
  const short = await asksInTurn(12, (i) => ask(seat, { personalMessage: "Please sign.", now: at(i * 10 * MINUTE) }));
  expect(short.every((r) => r.status === "confirmed")).toBe(true);
});

test("a link in the personal paragraph is held", async () => {
  const seat = await setUp();
  for (const personalMessage of ["See https://spam.example/x", "visit www.spam.example", "go to spam.example/win now"])
    expect((await ask(seat, { personalMessage })).holdReasons, personalMessage).toEqual(["link-in-message"]);
  expect((await ask(seat, { personalMessage: "I live in St. Albans. Thanks." })).status).toBe("confirmed");
});

test("asks matching the block list are held: an email, a domain and its subdomains, an address, a network", async () => {
  const seat = await setUp();
  const add = async (kind: "email" | "domain" | "address" | "network", value: string) =>
    addBlockListEntry({ kind, value, note: null, accountId: null, actor: reviewer.email, now: t0 });
  expect(await add("email", "Troll@Example.org")).toMatchObject({ outcome: "added" });
  expect(await add("domain", "spam.example")).toMatchObject({ outcome: "added" });
  expect(await add("address", "203.0.113.50")).toMatchObject({ outcome: "added" });
  expect(await add("network", "198.51.100.0/24")).toMatchObject({ outcome: "added" });
  expect(await add("network", "not a network")).toMatchObject({ outcome: "invalid" });
  expect(await add("email", "troll@example.org")).toMatchObject({ outcome: "already-listed" });

  expect((await ask(seat, { email: "troll@example.org" })).holdReasons).toEqual(["blocked-email"]);
  expect((await ask(seat, { email: "x@mail.spam.example" })).holdReasons).toEqual(["blocked-domain"]);
  expect((await ask(seat, { clientIp: "203.0.113.50" })).holdReasons).toEqual(["blocked-address"]);
  expect((await ask(seat, { clientIp: "198.51.100.77" })).holdReasons).toEqual(["blocked-network"]);
  expect((await ask(seat, { clientIp: "198.51.101.77" })).status).toBe("confirmed");

  const audits = await db.select().from(auditLog).where(eq(auditLog.action, "block-list.add"));
  expect(audits).toHaveLength(4);
  expect(JSON.stringify(audits)).not.toMatch(/troll|203\.0\.113|198\.51/);
});

test("blocking from a held ask blocks its network without anyone seeing the address; removing an entry stops it", async () => {
  const seat = await setUp();
  const first = await ask(seat, { clientIp: "192.0.2.33", email: "x@mailinator.com" });
  expect(first.status).toBe("held");
  const result = await blockFromAsk({
    askId: first.id,
    kind: "network",
    accountId: null,
    actor: reviewer.email,
    now: t0,
  });
  expect(result).toMatchObject({ outcome: "added" });
  expect((await ask(seat, { clientIp: "192.0.2.200" })).holdReasons).toEqual(["blocked-network"]);
  await removeBlockListEntry({ id: (result as { id: number }).id, actor: reviewer.email, now: t0 });
  expect((await ask(seat, { clientIp: "192.0.2.201" })).status).toBe("confirmed");
});

test("releasing a held ask sends its mails and is audited; it can be released only once", async () => {
  const seat = await setUp();
  const held = await ask(seat, { email: "x@mailinator.com" });
  expect((await listHeldAsks()).map((a) => a.id)).toEqual([held.id]);
  expect(await countConfirmedAsks({ constituencyCode: seat.seat.gssCode })).toBe(0);

  expect(await releaseAsk({ askId: held.id, reviewer, now: at(MINUTE) })).toEqual({ outcome: "released", mails: 2 });
  expect(await candidateMailStatuses(held.id)).toEqual(["queued", "queued"]);
  expect((await db.select().from(asks).where(eq(asks.id, held.id)).limit(1))[0]).toMatchObject({
    status: "confirmed",
    reviewedAt: at(MINUTE).toISOString(),
  });
  expect(await countConfirmedAsks({ constituencyCode: seat.seat.gssCode })).toBe(1);
  expect(await listHeldAsks()).toEqual([]);
  expect(await releaseAsk({ askId: held.id, reviewer, now: at(MINUTE) })).toEqual({ outcome: "not-held" });
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, "review.release"));
  expect(audit.map((a) => [a.actor, a.subject, a.details])).toEqual([
    [reviewer.email, `ask:${held.id}`, { reasons: ["disposable-domain"], mails: 2 }],
  ]);
});

test("rejecting a held ask cancels its mails, counts it nowhere and tells the supporter neutrally", async () => {
  const seat = await setUp();
  const held = await ask(seat, { email: "x@mailinator.com", showOnPublicList: true });
  expect(await rejectAsk({ askId: held.id, reviewer, now: at(MINUTE) })).toEqual({ outcome: "rejected" });
  expect(await candidateMailStatuses(held.id)).toEqual(["cancelled", "cancelled"]);
  const [notice] = await outboxRows("ask-not-sent");
  expect(notice).toMatchObject({ toAddress: "x@mailinator.com", status: "queued" });
  expect(notice!.subject).toBe("Your message to candidates in Brackenby Vale was not sent");
  expect(notice!.textBody).not.toMatch(/disposable|block|spam/i);
  expect(await countConfirmedAsks({ constituencyCode: seat.seat.gssCode })).toBe(0);
  expect(await listRecentPublicSupporters({ limit: 10 })).toEqual([]);
  expect(await rejectAsk({ askId: held.id, reviewer, now: at(MINUTE) })).toEqual({ outcome: "not-held" });
  expect(JSON.stringify(await db.select().from(auditLog))).not.toContain("mailinator");
});

test("a held ask's digest entries wait for its release", async () => {
  const seat = await setUp({ maxAsksPerAddressPerHour: 1 });
  // A cap of one mail an hour per candidate: the second ask goes to the digest.
  await writeTransaction(db, () => db.update(campaigns).set({ askHourlyCap: 1 }));
  await ask(seat, { clientIp: "203.0.113.1" });
  const held = await ask(seat, { clientIp: "203.0.113.1" });
  expect(held.status).toBe("held");
  expect(await queueDueDigests({ now: at(2 * 60 * MINUTE) })).toBe(0);
  await releaseAsk({ askId: held.id, reviewer, now: at(2 * 60 * MINUTE) });
  expect(await queueDueDigests({ now: at(2 * 60 * MINUTE) })).toBe(2);
});

test("an organiser can take a supporter off the public list and put them back, audited", async () => {
  const seat = await setUp();
  const row = await ask(seat, { showOnPublicList: true });
  expect(await listRecentPublicSupporters({ limit: 10 })).toHaveLength(1);
  expect(await setHiddenFromPublicList({ askId: row.id, hidden: true, actor: reviewer.email, now: t0 })).toEqual({
    outcome: "hidden",
  });
  expect(await listRecentPublicSupporters({ limit: 10 })).toEqual([]);
  expect(await setHiddenFromPublicList({ askId: row.id, hidden: true, actor: reviewer.email, now: t0 })).toEqual({
    outcome: "unchanged",
  });
  await setHiddenFromPublicList({ askId: row.id, hidden: false, actor: reviewer.email, now: t0 });
  expect(await listRecentPublicSupporters({ limit: 10 })).toHaveLength(1);
  expect(
    (
      await db
        .select({ action: auditLog.action })
        .from(auditLog)
        // The test's campaign set-up is audited too.
        .where(ne(auditLog.actor, "npm run campaign"))
    ).map((a) => a.action),
  ).toEqual(["supporters.hide", "supporters.show"]);
});
