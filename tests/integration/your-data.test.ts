// A supporter's own links, from the foot and the List-Unsubscribe header of
// every mail we send them: the manage page (what we hold; stop updates, leave
// the public list, delete everything) and one-click unsubscribe (RFC 8058).
// The real loaders and actions against a real SQLite file.
import { writeTransaction } from "#db/index";
import { and, asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { supporterMailKinds } from "#db/enums";
import { asks, consentRecords, outbox, supporterLinks } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { sendDueReminders } from "~/models/reminder.server";
import { rejectAsk } from "~/models/review.server";
import { isSuppressed } from "~/models/suppression.server";
import { deleteExpiredSupporterLinks } from "~/models/supporter-link.server";
import { countConfirmedAsks, listRecentPublicSupporters } from "~/models/supporter.server";
import { action as manageAction, loader as manageLoader } from "~/routes/your-data.$token";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/your-data.$token_.unsubscribe";
import { db } from "~/utils/db.server";
import { hashToken } from "~/utils/tokens.server";
import { outboxRows, snapshotDatabase } from "../db";
import {
  buildAsk,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertPledgeByCampaign,
} from "../factories";
import { tokenIn } from "../links";
import { insertStaffAccount, settle } from "../staff";
import { DAY } from "../time";

const base = "http://localhost";
let seatCode = "";
let candidacyIds: number[] = [];
let candidatePersonId = "";

async function setUp() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidate = await insertCandidacy({ constituency: seat, email: "ruth@candidates.example.org" });
  seatCode = seat.gssCode;
  candidacyIds = [candidate.id];
  candidatePersonId = candidate.personId;
}

/** A confirmed ask on the public list and opted into updates, and the manage-link token of its newest mail. */
async function supporter(email = "rajan@example.org", name = "Rajan Nair") {
  await insertConfirmedAsk({
    constituencyCode: seatCode,
    candidacyIds,
    name,
    email,
    showOnPublicList: true,
    wantsUpdates: true,
  });
  const mail = (await outboxRows("ask-confirmation")).findLast((m) => m.toAddress === email);
  return tokenIn(mail!.textBody, "your-data");
}

function get(path: string) {
  return new Request(`${base}${path}`);
}

function post(path: string, fields: Record<string, string>, contentType?: string) {
  const body = new URLSearchParams(fields);
  return new Request(`${base}${path}`, {
    method: "POST",
    body: contentType === "multipart" ? formDataOf(fields) : body,
  });
}

function formDataOf(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

type Loaded = { data: Record<string, unknown>; init: ResponseInit | null };

async function manage(token: string, query = "") {
  return (await manageLoader({
    request: get(`/your-data/${token}${query}`),
    params: { token },
    context: {},
  })) as unknown as Loaded;
}

async function managePost(token: string, fields: Record<string, string>) {
  return settle(() => manageAction({ request: post(`/your-data/${token}`, fields), params: { token }, context: {} }));
}

async function oneClick(token: string, fields = { "List-Unsubscribe": "One-Click" }, contentType?: string) {
  return (await settle(() =>
    unsubscribeAction({
      request: post(`/your-data/${token}/unsubscribe`, fields, contentType),
      params: { token },
      context: {},
    }),
  )) as unknown as Loaded;
}

async function askOf(email: string) {
  return (await db.select().from(asks).where(eq(asks.email, email)).limit(1))[0];
}

async function withdrawals() {
  return await db
    .select({ purpose: consentRecords.purpose, method: consentRecords.method })
    .from(consentRecords)
    .where(eq(consentRecords.action, "withdrawn"))
    .orderBy(asc(consentRecords.id));
}

test("every mail to a supporter carries its own manage link and a one-click URL; candidates' mails carry neither", async () => {
  await setUp();
  const reviewer = await insertStaffAccount({ role: "organiser" });
  const now = new Date();
  await supporter();
  // Asking again: the "already asked" mail.
  await submitAsk({ ask: buildAsk({ constituencyCode: seatCode, candidacyIds }), clientIp: "192.0.2.50", now });
  // Never confirmed, a day on: the reminder.
  await submitAsk({
    ask: buildAsk({ constituencyCode: seatCode, candidacyIds, email: "slow@example.org" }),
    clientIp: "192.0.2.51",
    now: new Date(now.getTime() - 2 * DAY),
  });
  await sendDueReminders({ now });
  // Held (a disposable domain) and rejected: the "not sent" note.
  await insertConfirmedAsk({ constituencyCode: seatCode, candidacyIds, email: "x@mailinator.com" });
  await rejectAsk({ askId: (await askOf("x@mailinator.com"))!.id, reviewer, now });
  // The candidate signs: the "they signed" mail to the supporter who asked for updates.
  await insertPledgeByCampaign({ personId: candidatePersonId, sign: [1] });

  const rows = await outboxRows();
  const toSupporters = rows.filter((m) => (supporterMailKinds as readonly string[]).includes(m.kind));
  expect(new Set(toSupporters.map((m) => m.kind))).toEqual(new Set(supporterMailKinds));
  for (const mail of toSupporters) {
    const token = tokenIn(mail.textBody, "your-data");
    expect(mail.listUnsubscribe, mail.kind).toBe(`http://localhost:3000/your-data/${token}/unsubscribe`);
  }
  for (const mail of rows.filter((m) => !toSupporters.includes(m))) {
    expect(mail.listUnsubscribe, mail.kind).toBeNull();
    expect(mail.textBody, mail.kind).not.toContain("/your-data/");
  }
  // Only hashes are kept, one per mail.
  expect(await db.select().from(supporterLinks)).toHaveLength(toSupporters.length);
});

test("opening the manage page or the unsubscribe link changes nothing", async () => {
  await setUp();
  const token = await supporter();
  const before = await snapshotDatabase();

  const page = await manage(token);
  expect(page.init?.status ?? 200).toBe(200);
  expect(page.data.yours).toMatchObject({
    email: "rajan@example.org",
    onPublicList: true,
    getsUpdates: true,
    asks: [expect.objectContaining({ name: "Rajan Nair", postcode: "ZZ4 1AA", status: "confirmed" })],
  });
  expect((page.data.yours as { consents: { purpose: string }[] }).consents.map((c) => c.purpose)).toEqual([
    "send-ask",
    "public-list",
    "updates",
  ]);
  await manage(token, "?confirm=delete");
  const unsubscribePage = (await unsubscribeLoader({
    request: get(`/your-data/${token}/unsubscribe`),
    params: { token },
    context: {},
  })) as unknown as Loaded;
  expect(unsubscribePage.data).toEqual({ live: true });

  expect(await snapshotDatabase()).toEqual(before);
});

test("a one-click POST (RFC 8058) stops updates with a 200, records the withdrawal, and a repeat changes nothing", async () => {
  await setUp();
  const token = await supporter();
  // A "they signed" mail waiting to go is stopped with them.
  await insertPledgeByCampaign({ personId: candidatePersonId, sign: [1] });
  const signedMail = (await outboxRows("candidate-signed"))[0]!;
  expect(signedMail.status).toBe("queued");

  const answer = await oneClick(token);
  expect(answer.init?.status ?? 200).toBe(200);
  expect(answer.data).toEqual({ state: "stopped" });
  expect(await askOf("rajan@example.org")).toMatchObject({ wantsUpdates: false, showOnPublicList: true });
  expect(await withdrawals()).toEqual([{ purpose: "updates", method: "one-click" }]);
  expect((await db.select().from(outbox).where(eq(outbox.id, signedMail.id)).limit(1))[0]!.status).toBe("cancelled");

  // Mail clients send it as multipart too; and they may send it again.
  const again = await oneClick(token, { "List-Unsubscribe": "One-Click" }, "multipart");
  expect(again.init?.status ?? 200).toBe(200);
  expect(again.data).toEqual({ state: "stopped" });
  expect(await withdrawals()).toHaveLength(1);
});

test("a POST without the one-click body, or to a link that does not work, changes nothing", async () => {
  await setUp();
  const token = await supporter();
  const before = await snapshotDatabase();
  expect((await oneClick(token, { "List-Unsubscribe": "Yes please" })).init?.status).toBe(400);
  expect((await oneClick("A".repeat(43))).init?.status).toBe(404);
  expect((await oneClick("not-a-token")).init?.status).toBe(404);
  expect(await snapshotDatabase()).toEqual(before);
});

test("stop campaign updates on the manage page, recorded as from the manage page", async () => {
  await setUp();
  const token = await supporter();
  const response = (await managePost(token, { intent: "stop-updates" })) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe(`/your-data/${token}?done=updates`);
  expect((await askOf("rajan@example.org"))!.wantsUpdates).toBe(false);
  expect(await withdrawals()).toEqual([{ purpose: "updates", method: "manage-page" }]);
  expect((await manage(token, "?done=updates")).data.done).toBe("You will get no more campaign updates from us.");
});

test("leaving the public list takes the name off /supporters at once, recorded as a withdrawal", async () => {
  await setUp();
  const token = await supporter();
  await supporter("bea@example.org", "Bea Carter");
  expect((await listRecentPublicSupporters({ limit: 10 })).map((s) => s.name)).toEqual(["Bea C", "Rajan N"]);

  const response = (await managePost(token, { intent: "leave-public-list" })) as Response;
  expect(response.headers.get("Location")).toBe(`/your-data/${token}?done=public-list`);

  expect((await listRecentPublicSupporters({ limit: 10 })).map((s) => s.name)).toEqual(["Bea C"]);
  expect(await askOf("rajan@example.org")).toMatchObject({ showOnPublicList: false, wantsUpdates: true });
  expect(await withdrawals()).toEqual([{ purpose: "public-list", method: "manage-page" }]);
});

test("delete everything erases the person (name gone from the public list, counts kept) and their links stop working", async () => {
  await setUp();
  const token = await supporter();
  await supporter("bea@example.org", "Bea Carter");
  const counted = await countConfirmedAsks({ constituencyCode: seatCode });

  const confirmPage = await manage(token, "?confirm=delete");
  expect(confirmPage.data.confirmDelete).toBe(true);

  const response = (await managePost(token, { intent: "delete", suppress: "yes" })) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/your-data-deleted");

  expect((await listRecentPublicSupporters({ limit: 10 })).map((s) => s.name)).toEqual(["Bea C"]);
  expect(await countConfirmedAsks({ constituencyCode: seatCode })).toBe(counted);
  expect(await askOf("rajan@example.org")).toBeUndefined();
  expect(await isSuppressed({ email: "rajan@example.org" })).toBe(true);
  const erased = await db
    .select()
    .from(asks)
    .where(and(eq(asks.email, "")));
  expect(erased).toHaveLength(1);
  expect(await db.select().from(consentRecords).where(eq(consentRecords.askId, erased[0]!.id))).toEqual([]);
  expect(await db.select().from(supporterLinks).where(eq(supporterLinks.askId, erased[0]!.id))).toEqual([]);
  // Bea's data is untouched.
  expect(await askOf("bea@example.org")).toMatchObject({ name: "Bea Carter", showOnPublicList: true });

  // Used: the link now shows the "does not work" page, with a 404, and does nothing.
  const after = await manage(token);
  expect(after.init?.status).toBe(404);
  expect(after.data.yours).toBeNull();
  const again = (await managePost(token, { intent: "delete" })) as unknown as Loaded;
  expect(again.init?.status).toBe(404);
});

test("an unknown, malformed or expired link shows a 404 page and holds nothing", async () => {
  await setUp();
  const token = await supporter();
  for (const bad of ["A".repeat(43), "short", `${token}x`]) {
    const page = await manage(bad);
    expect(page.init?.status, bad).toBe(404);
    expect(page.data.yours).toBeNull();
  }
  // A year on, the link has expired.
  await writeTransaction(db, () =>
    db.update(supporterLinks).set({ expiresAt: new Date(Date.now() - 1).toISOString() }),
  );
  expect((await manage(token)).init?.status).toBe(404);
  expect((await oneClick(token)).init?.status).toBe(404);
  expect((await askOf("rajan@example.org"))!.wantsUpdates).toBe(true);
});

test("the worker's sweep forgets links once they have expired, and only those", async () => {
  await setUp();
  const rajan = await supporter();
  const tobias = await supporter("tobias@example.org", "Tobias Wren");
  const at = new Date("2025-07-01T12:00:00.000Z");
  const linkOf = (token: string) => eq(supporterLinks.tokenHash, hashToken(token));
  await writeTransaction(db, () => db.update(supporterLinks).set({ expiresAt: at.toISOString() }).where(linkOf(rajan)));
  await writeTransaction(db, () =>
    db
      .update(supporterLinks)
      .set({ expiresAt: new Date(at.getTime() + 10 * DAY).toISOString() })
      .where(linkOf(tobias)),
  );
  const before = (await db.select().from(supporterLinks)).length;

  // Kept to the moment it stops working, not a millisecond less.
  expect(await deleteExpiredSupporterLinks({ now: new Date(at.getTime() - 1) })).toBe(0);
  expect(await deleteExpiredSupporterLinks({ now: at })).toBe(1);
  expect(await db.select().from(supporterLinks).where(linkOf(rajan))).toEqual([]);
  expect(await db.select().from(supporterLinks).where(linkOf(tobias))).toHaveLength(1);
  expect(await db.select().from(supporterLinks)).toHaveLength(before - 1);
  // The person and their ask are untouched.
  expect((await askOf("rajan@example.org"))!.wantsUpdates).toBe(true);
});
