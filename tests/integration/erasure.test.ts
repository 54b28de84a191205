// Erasure for real: a supporter's name, email, postcode and message leave
// every table and the bytes of the database file and its WAL, while the
// anonymous counts (per constituency, per candidate, the dashboard) stay as
// they were. Suppression, and the retention job on a fake clock.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { askRecipients, asks, auditLog, mailbox, outbox, rateLimits, suppressions } from "#db/schema";
import { writeTransaction } from "#db/index";
import { submitAsk } from "~/models/ask.server";
import { dashboardFigures } from "~/models/dashboard.server";
import { queueDueDigests } from "~/models/digest.server";
import { eraseExpiredAsks, eraseSupporter } from "~/models/erasure.server";
import { listConstituencyCounts } from "~/models/open-data.server";
import { listHeldAsks } from "~/models/review.server";
import { findCandidateForStaff } from "~/models/staff-candidates.server";
import { countConfirmedAsks, listRecentPublicSupporters } from "~/models/supporter.server";
import { emailKeyHash } from "~/models/client-hash.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import {
  buildAsk,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertPledgeByCampaign,
} from "../factories";
import { DAY, HOUR, MINUTE } from "../time";

const t0 = new Date("2024-06-20T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const admin = "admin@campaign.example.org";

const person = {
  name: "Philippa Quenby",
  email: "erase-me@example.org",
  postcode: "ZZ9 7QX",
  personalMessage: "The otters in Brackenby brook need the culvert opened before winter.",
};
const neighbour = {
  name: "Tobias Wren",
  email: "neighbour@example.org",
  postcode: "ZZ9 1AB",
  personalMessage: "Please sign: our lane floods every spring.",
};

/** A seat with two candidates who publish an address, and the campaign. */
function setUp(overrides: Parameters<typeof insertCampaign>[0] = {}) {
  insertCampaign(overrides);
  const seat = insertConstituency({ name: "Brackenby Vale" });
  const first = insertCandidacy({ constituency: seat, email: "first.candidate@example.net" });
  const second = insertCandidacy({ constituency: seat, email: "second.candidate@example.net" });
  return { seat, first, second };
}

function ask(
  who: typeof person,
  {
    seat,
    candidacyIds,
    now,
    wantsUpdates = true,
  }: { seat: { gssCode: string }; candidacyIds: number[]; now: Date; wantsUpdates?: boolean },
) {
  return insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds,
    ...who,
    showOnPublicList: true,
    wantsUpdates,
    now,
  });
}

function deliverAll(now: Date) {
  return drainOutbox({ transport: createMailTransport(undefined), now });
}

function rawDatabaseBytes() {
  const file = readFileSync(env.DATABASE_PATH);
  let wal: Buffer = Buffer.alloc(0);
  try {
    wal = readFileSync(`${env.DATABASE_PATH}-wal`);
  } catch {
    // No WAL file at all: nothing in it either.
  }
  return { file, wal };
}

function askOf(email: string) {
  return db.select().from(asks).where(eq(asks.email, email)).get();
}

test("an erased supporter is in no table and in neither the database file nor its WAL; the counts stay", async () => {
  const { seat, first, second } = setUp();
  ask(person, { seat, candidacyIds: [first.id, second.id], now: at(0) });
  ask(neighbour, { seat, candidacyIds: [first.id], now: at(MINUTE) });
  await deliverAll(at(2 * MINUTE));
  // The first candidate signs: each supporter who wanted updates is told.
  insertPledgeByCampaign({ personId: first.personId, sign: [1], now: at(HOUR) });
  await deliverAll(at(HOUR + MINUTE));
  // A mail to them not yet sent: an "already asked" after a second try.
  submitAsk({
    ask: buildAsk({ constituencyCode: seat.gssCode, candidacyIds: [first.id], ...person }),
    clientIp: "10.9.9.9",
    now: at(2 * HOUR),
  });
  const now = at(3 * HOUR);
  const before = {
    constituency: countConfirmedAsks({ constituencyCode: seat.gssCode }),
    openData: listConstituencyCounts(),
    first: findCandidateForStaff({ personId: first.personId })?.asks,
    second: findCandidateForStaff({ personId: second.personId })?.asks,
    dashboard: dashboardFigures({ now }),
  };
  expect(before.constituency).toBe(2);
  const { file: fileBefore, wal: walBefore } = rawDatabaseBytes();
  expect(Buffer.concat([fileBefore, walBefore]).includes(person.email)).toBe(true);
  expect(
    db
      .select()
      .from(mailbox)
      .all()
      .some((m) => m.toAddress === person.email),
  ).toBe(true);

  const result = eraseSupporter({ email: "  Erase-Me@Example.org ", reason: "staff-request", by: admin, now });

  expect(result).toMatchObject({ asks: 1, mailsCancelled: 1, suppressed: false, walCheckpointed: true });
  expect(result.mailboxCopies).toBeGreaterThanOrEqual(4);
  const { file, wal } = rawDatabaseBytes();
  expect(wal.length).toBe(0);
  for (const bytes of [file, wal])
    for (const text of [
      person.email,
      person.name,
      person.postcode,
      person.personalMessage,
      "Philippa",
      "Quenby",
      "otters in Brackenby",
    ])
      expect(bytes.includes(text), `${text} is still in the raw database`).toBe(false);
  // The neighbour in the same seat is untouched.
  expect(file.includes(neighbour.email)).toBe(true);
  expect(askOf(neighbour.email)).toMatchObject({ name: neighbour.name, postcode: neighbour.postcode });

  expect(countConfirmedAsks({ constituencyCode: seat.gssCode })).toBe(before.constituency);
  expect(listConstituencyCounts()).toEqual(before.openData);
  expect(findCandidateForStaff({ personId: first.personId })?.asks).toEqual(before.first);
  expect(findCandidateForStaff({ personId: second.personId })?.asks).toEqual(before.second);
  const after = dashboardFigures({ now });
  expect(after.asks).toEqual(before.dashboard.asks);
  expect(after.topConstituencies).toEqual(before.dashboard.topConstituencies);
  expect(after.perDay).toEqual(before.dashboard.perDay);
  expect(listRecentPublicSupporters({ limit: 10 }).map((s) => s.name)).toEqual(["Tobias W"]);
});

test("the anonymised ask keeps its seat, status and recipients, and mails about them are emptied or cancelled", async () => {
  const { seat, first, second } = setUp();
  ask(person, { seat, candidacyIds: [first.id, second.id], now: at(0) });
  await deliverAll(at(MINUTE));
  const askId = db.select({ id: asks.id }).from(asks).get()!.id;

  eraseSupporter({ email: person.email, reason: "supporter-request", by: "supporter", now: at(HOUR) });

  expect(db.select().from(asks).where(eq(asks.id, askId)).get()).toMatchObject({
    constituencyCode: seat.gssCode,
    status: "confirmed",
    name: "",
    email: "",
    postcode: "",
    personalMessage: null,
    showOnPublicList: false,
    wantsUpdates: false,
    tokenHash: null,
    clientAddressHash: null,
    clientNetworkHash: null,
    messageFingerprint: null,
    erasedAt: at(HOUR).toISOString(),
  });
  expect(db.select().from(askRecipients).where(eq(askRecipients.askId, askId)).all()).toHaveLength(2);
  const mails = db.select().from(outbox).all();
  // Two to the candidates (sent: they have them, we keep no copy), one confirmation to the supporter.
  expect(mails.map((m) => [m.kind, m.status, m.textBody, m.replyTo])).toEqual([
    ["ask-confirmation", "sent", "", null],
    ["candidate-ask", "sent", "", null],
    ["candidate-ask", "sent", "", null],
  ]);
  expect(mails.filter((m) => m.kind === "candidate-ask").map((m) => m.toAddress)).toEqual([
    "first.candidate@example.net",
    "second.candidate@example.net",
  ]);
  expect(mails[0]).toMatchObject({ toAddress: "", toName: null });
  expect(db.select().from(mailbox).all()).toEqual([]);
});

test("a held ask's mails are cancelled and cleared, and it leaves the review queue as a rejected ask", () => {
  setUp({ reviewRules: { holdLinks: true } });
  const seat = insertConstituency({ name: "Otterburn Marsh" });
  const candidate = insertCandidacy({ constituency: seat, email: "held.candidate@example.net" });
  insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: [candidate.id],
    ...person,
    personalMessage: "See https://example.org/otters",
    now: at(0),
  });
  expect(listHeldAsks()).toHaveLength(1);

  const result = eraseSupporter({ email: person.email, reason: "staff-request", by: admin, now: at(HOUR) });

  expect(result.mailsCancelled).toBe(2);
  expect(listHeldAsks()).toEqual([]);
  expect(db.select({ status: asks.status, reviewedAt: asks.reviewedAt }).from(asks).get()).toEqual({
    status: "rejected",
    reviewedAt: at(HOUR).toISOString(),
  });
  expect(db.select({ kind: outbox.kind, status: outbox.status, textBody: outbox.textBody }).from(outbox).all()).toEqual(
    [
      { kind: "ask-confirmation", status: "cancelled", textBody: "" },
      { kind: "candidate-ask", status: "cancelled", textBody: "" },
    ],
  );
});

test("a digest not yet sent is cancelled and the other supporters in it go in the next one; a sent one loses only their line", () => {
  // A cap of one mail an hour: every ask after the first goes into a digest.
  const { seat, first } = setUp({ askHourlyCap: 1 });
  insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [first.id], name: "Ada Ashgrove", now: at(0) });
  ask(person, { seat, candidacyIds: [first.id], now: at(MINUTE) });
  ask(neighbour, { seat, candidacyIds: [first.id], now: at(2 * MINUTE) });
  expect(queueDueDigests({ now: at(HOUR + MINUTE) })).toBe(1);
  const digest = db.select().from(outbox).where(eq(outbox.kind, "candidate-digest")).get()!;
  expect(digest.textBody).toContain(`- ${person.name}: "${person.personalMessage}"`);

  const result = eraseSupporter({
    email: person.email,
    reason: "staff-request",
    by: admin,
    now: at(HOUR + 2 * MINUTE),
  });

  // The digest, and their confirmation mail the worker had not sent yet.
  expect(result.mailsCancelled).toBe(2);
  expect(db.select().from(outbox).where(eq(outbox.id, digest.id)).get()).toMatchObject({
    status: "cancelled",
    textBody: "",
  });
  // The next digest carries the neighbour alone.
  expect(queueDueDigests({ now: at(3 * HOUR) })).toBe(1);
  const next = db.select().from(outbox).where(eq(outbox.kind, "candidate-digest")).all().at(-1)!;
  expect(next.id).not.toBe(digest.id);
  expect(next.textBody).toContain(`- ${neighbour.name}: "${neighbour.personalMessage}"`);
  expect(next.textBody).not.toContain(person.name);

  // Once that one is sent, erasing the neighbour rewrites their line and keeps the rest.
  const sentBody = next.textBody;
  db.update(outbox)
    .set({ status: "sent", sentAt: at(3 * HOUR).toISOString() })
    .where(eq(outbox.id, next.id))
    .run();
  eraseSupporter({ email: neighbour.email, reason: "staff-request", by: admin, now: at(4 * HOUR) });
  const rewritten = db.select().from(outbox).where(eq(outbox.id, next.id)).get()!;
  expect(rewritten.status).toBe("sent");
  expect(rewritten.textBody).toBe(
    sentBody.replace(
      `- ${neighbour.name}: "${neighbour.personalMessage}"`,
      "- (a constituent whose details have since been erased)",
    ),
  );
});

test("erasure is audited by a keyed hash of the address, never the address, and deletes their rate-limit counter", () => {
  const { seat, first } = setUp();
  ask(person, { seat, candidacyIds: [first.id], now: at(0) });
  expect(
    db
      .select()
      .from(rateLimits)
      .all()
      .some((r) => r.key.startsWith("ask-email:")),
  ).toBe(true);

  const result = eraseSupporter({
    email: person.email,
    reason: "staff-request",
    by: admin,
    now: at(HOUR),
    suppress: true,
  });

  expect(result.rateLimitKeys).toBe(1);
  expect(
    db
      .select()
      .from(rateLimits)
      .all()
      .some((r) => r.key.startsWith("ask-email:")),
  ).toBe(false);
  const entries = db.select().from(auditLog).where(eq(auditLog.action, "person.erase")).all();
  expect(entries).toEqual([
    expect.objectContaining({
      actor: admin,
      action: "person.erase",
      subject: `person:${emailKeyHash(person.email)}`,
      details: expect.objectContaining({ reason: "staff-request", suppressed: true, asks: 1 }),
    }),
  ]);
  expect(emailKeyHash(person.email)).toMatch(/^[\w-]{22}$/);
  expect(JSON.stringify(entries)).not.toContain(person.email);
  expect(db.select().from(suppressions).all()).toEqual([
    { emailHash: emailKeyHash(person.email), createdAt: at(HOUR).toISOString() },
  ]);
});

test("a suppressed address can ask again but is not signed up for updates; without suppression it is", () => {
  const { seat, first } = setUp();
  ask(person, { seat, candidacyIds: [first.id], now: at(0) });
  ask(neighbour, { seat, candidacyIds: [first.id], now: at(0) });
  eraseSupporter({ email: person.email, reason: "supporter-request", by: "supporter", now: at(HOUR), suppress: true });
  eraseSupporter({ email: neighbour.email, reason: "supporter-request", by: "supporter", now: at(HOUR) });

  ask(person, { seat, candidacyIds: [first.id], now: at(DAY) });
  ask(neighbour, { seat, candidacyIds: [first.id], now: at(DAY) });

  expect(askOf(person.email)).toMatchObject({ status: "confirmed", wantsUpdates: false });
  expect(askOf(neighbour.email)).toMatchObject({ status: "confirmed", wantsUpdates: true });
});

test("erasing runs in its own transaction and refuses to run inside another", () => {
  setUp();
  expect(() =>
    writeTransaction(db, () => eraseSupporter({ email: person.email, reason: "staff-request", by: admin, now: t0 })),
  ).toThrow(/outside any transaction/);
  expect(() => eraseSupporter({ email: "  ", reason: "staff-request", by: admin, now: t0 })).toThrow();
});

// ---------------------------------------------------------------- retention

// The campaign's polling day is 2024-07-04 (buildCampaignSettings).

function retentionAudit() {
  return db.select().from(auditLog).where(eq(auditLog.action, "retention.erase")).all();
}
const pollingDay = new Date("2024-07-04T06:00:00.000Z");

test("retention erases ask data N days after polling day, keeping only the name and email of those who want updates", () => {
  const { seat, first } = setUp();
  ask(person, { seat, candidacyIds: [first.id], now: at(0), wantsUpdates: false });
  ask(neighbour, { seat, candidacyIds: [first.id], now: at(0), wantsUpdates: true });
  const counts = countConfirmedAsks({ constituencyCode: seat.gssCode });

  // 2024-07-04 + 90 days = 2 October; London is on BST, so that day begins at 23:00 UTC on 1 October.
  const dayBefore = new Date("2024-10-01T22:59:59.000Z");
  expect(eraseExpiredAsks({ now: dayBefore, askDaysAfterPollingDay: 90 })).toEqual({ erased: 0, contactsKept: 0 });
  expect(askOf(person.email)?.postcode).toBe(person.postcode);

  const due = new Date("2024-10-01T23:00:00.000Z");
  expect(eraseExpiredAsks({ now: due, askDaysAfterPollingDay: 90 })).toEqual({ erased: 1, contactsKept: 1 });

  expect(askOf(person.email)).toBeUndefined();
  expect(askOf(neighbour.email)).toMatchObject({
    name: neighbour.name,
    email: neighbour.email,
    wantsUpdates: true,
    postcode: "",
    personalMessage: null,
    clientAddressHash: null,
    clientNetworkHash: null,
    erasedAt: null,
  });
  // The candidate's copy of the neighbour's ask is emptied too (it held their postcode and message).
  expect(db.select({ textBody: outbox.textBody }).from(outbox).where(eq(outbox.kind, "candidate-ask")).all()).toEqual([
    { textBody: "" },
    { textBody: "" },
  ]);
  expect(countConfirmedAsks({ constituencyCode: seat.gssCode })).toBe(counts);
  expect(retentionAudit()).toEqual([
    expect.objectContaining({
      actor: "retention",
      action: "retention.erase",
      details: { askDaysAfterPollingDay: 90, erased: 1, contactsKept: 1 },
    }),
  ]);

  // Idempotent: a second run finds nothing left to do and records nothing.
  expect(eraseExpiredAsks({ now: at(200 * DAY), askDaysAfterPollingDay: 90 })).toEqual({ erased: 0, contactsKept: 0 });
  expect(retentionAudit()).toHaveLength(1);
});

test("an ask made after polling day is kept for the whole period from when it was made", () => {
  const { seat, first } = setUp();
  const late = new Date(pollingDay.getTime() + 400 * DAY);
  ask(person, { seat, candidacyIds: [first.id], now: late, wantsUpdates: false });

  expect(eraseExpiredAsks({ now: new Date(late.getTime() + 89 * DAY), askDaysAfterPollingDay: 90 })).toEqual({
    erased: 0,
    contactsKept: 0,
  });
  expect(askOf(person.email)?.postcode).toBe(person.postcode);
  expect(eraseExpiredAsks({ now: new Date(late.getTime() + 90 * DAY), askDaysAfterPollingDay: 90 })).toEqual({
    erased: 1,
    contactsKept: 0,
  });
});

test("retention works in short batches until everyone is done", () => {
  const { seat, first } = setUp();
  for (let i = 0; i < 5; i++)
    insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: [first.id],
      email: `s${i}@example.org`,
      now: at(0),
    });

  const result = eraseExpiredAsks({
    now: new Date(pollingDay.getTime() + 30 * DAY),
    askDaysAfterPollingDay: 7,
    batchSize: 2,
  });

  expect(result).toEqual({ erased: 5, contactsKept: 0 });
  expect(
    db
      .select()
      .from(asks)
      .all()
      .every((a) => a.email === "" && a.erasedAt !== null),
  ).toBe(true);
  // Three transactions of at most two people, each audited.
  expect(retentionAudit().map((e) => e.details)).toEqual([
    { askDaysAfterPollingDay: 7, erased: 2, contactsKept: 0 },
    { askDaysAfterPollingDay: 7, erased: 2, contactsKept: 0 },
    { askDaysAfterPollingDay: 7, erased: 1, contactsKept: 0 },
  ]);
});

test("the app's connection has secure_delete on, so deleted bytes are zeroed", () => {
  expect(db.$client.pragma("secure_delete", { simple: true })).toBe(1);
});
