// Erasure for real: a supporter's name, email, postcode and message leave
// every table and the bytes of the database file and its WAL, while the
// anonymous counts (per constituency, per candidate, the dashboard) stay as
// they were. Suppression, and the retention job on a fake clock.
import { readFileSync } from "node:fs";
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { askRecipients, asks, auditLog, mailbox, outbox, rateLimits, suppressions } from "#db/schema";
import { engine } from "#db/engine";
import { withWriter, writeTransaction } from "#db/index";
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
import { outboxRows, snapshotDatabase } from "../db";
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
async function setUp(overrides: Parameters<typeof insertCampaign>[0] = {}) {
  await insertCampaign(overrides);
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const first = await insertCandidacy({ constituency: seat, email: "first.candidate@example.net" });
  const second = await insertCandidacy({ constituency: seat, email: "second.candidate@example.net" });
  return { seat, first, second };
}

async function ask(
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

async function askOf(email: string) {
  return (await db.select().from(asks).where(eq(asks.email, email)).limit(1))[0];
}

test("an erased supporter is in no table and in neither the database file nor its WAL; the counts stay", async () => {
  const { seat, first, second } = await setUp();
  await ask(person, { seat, candidacyIds: [first.id, second.id], now: at(0) });
  await ask(neighbour, { seat, candidacyIds: [first.id], now: at(MINUTE) });
  await deliverAll(at(2 * MINUTE));
  // The first candidate signs: each supporter who wanted updates is told.
  await insertPledgeByCampaign({ personId: first.personId, sign: [1], now: at(HOUR) });
  await deliverAll(at(HOUR + MINUTE));
  // A mail to them not yet sent: an "already asked" after a second try.
  await submitAsk({
    ask: buildAsk({ constituencyCode: seat.gssCode, candidacyIds: [first.id], ...person }),
    clientIp: "10.9.9.9",
    now: at(2 * HOUR),
  });
  const now = at(3 * HOUR);
  const before = {
    constituency: await countConfirmedAsks({ constituencyCode: seat.gssCode }),
    openData: await listConstituencyCounts(),
    first: (await findCandidateForStaff({ personId: first.personId }))?.asks,
    second: (await findCandidateForStaff({ personId: second.personId }))?.asks,
    dashboard: await dashboardFigures({ now }),
  };
  expect(before.constituency).toBe(2);
  expect(JSON.stringify(await snapshotDatabase())).toContain(person.email);
  // The file and its WAL are SQLite's: PostgreSQL's files are the server's,
  // and what they keep until vacuum reuses the space is the operator's.
  if (engine === "sqlite") {
    const { file: fileBefore, wal: walBefore } = rawDatabaseBytes();
    expect(Buffer.concat([fileBefore, walBefore]).includes(person.email)).toBe(true);
  }
  expect((await db.select().from(mailbox)).some((m) => m.toAddress === person.email)).toBe(true);

  const result = await eraseSupporter({ email: "  Erase-Me@Example.org ", reason: "staff-request", by: admin, now });

  expect(result).toMatchObject({ asks: 1, mailsCancelled: 1, suppressed: false, walCheckpointed: true });
  expect(result.mailboxCopies).toBeGreaterThanOrEqual(4);
  const traces = [
    person.email,
    person.name,
    person.postcode,
    person.personalMessage,
    "Philippa",
    "Quenby",
    "otters in Brackenby",
  ];
  const rows = JSON.stringify(await snapshotDatabase());
  for (const text of traces) expect(rows.includes(text), `${text} is still in a table`).toBe(false);
  expect(rows).toContain(neighbour.email);
  if (engine === "sqlite") {
    const { file, wal } = rawDatabaseBytes();
    expect(wal.length).toBe(0);
    for (const bytes of [file, wal])
      for (const text of traces) expect(bytes.includes(text), `${text} is still in the raw database`).toBe(false);
    // The neighbour in the same seat is untouched.
    expect(file.includes(neighbour.email)).toBe(true);
  }
  expect(await askOf(neighbour.email)).toMatchObject({ name: neighbour.name, postcode: neighbour.postcode });

  expect(await countConfirmedAsks({ constituencyCode: seat.gssCode })).toBe(before.constituency);
  expect(await listConstituencyCounts()).toEqual(before.openData);
  expect((await findCandidateForStaff({ personId: first.personId }))?.asks).toEqual(before.first);
  expect((await findCandidateForStaff({ personId: second.personId }))?.asks).toEqual(before.second);
  const after = await dashboardFigures({ now });
  expect(after.asks).toEqual(before.dashboard.asks);
  expect(after.topConstituencies).toEqual(before.dashboard.topConstituencies);
  expect(after.perDay).toEqual(before.dashboard.perDay);
  expect((await listRecentPublicSupporters({ limit: 10 })).map((s) => s.name)).toEqual(["Tobias W"]);
});

test("the anonymised ask keeps its seat, status and recipients, and mails about them are emptied or cancelled", async () => {
  const { seat, first, second } = await setUp();
  await ask(person, { seat, candidacyIds: [first.id, second.id], now: at(0) });
  await deliverAll(at(MINUTE));
  const askId = (await db.select({ id: asks.id }).from(asks).limit(1))[0]!.id;

  await eraseSupporter({ email: person.email, reason: "supporter-request", by: "supporter", now: at(HOUR) });

  expect((await db.select().from(asks).where(eq(asks.id, askId)).limit(1))[0]).toMatchObject({
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
  expect(await db.select().from(askRecipients).where(eq(askRecipients.askId, askId))).toHaveLength(2);
  const mails = await outboxRows();
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
  expect(await db.select().from(mailbox)).toEqual([]);
});

test("a held ask's mails are cancelled and cleared, and it leaves the review queue as a rejected ask", async () => {
  await setUp({ reviewRules: { holdLinks: true } });
  const seat = await insertConstituency({ name: "Otterburn Marsh" });
  const candidate = await insertCandidacy({ constituency: seat, email: "held.candidate@example.net" });
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: [candidate.id],
    ...person,
    personalMessage: "See https://example.org/otters",
    now: at(0),
  });
  expect(await listHeldAsks()).toHaveLength(1);

  const result = await eraseSupporter({ email: person.email, reason: "staff-request", by: admin, now: at(HOUR) });

  expect(result.mailsCancelled).toBe(2);
  expect(await listHeldAsks()).toEqual([]);
  expect((await db.select({ status: asks.status, reviewedAt: asks.reviewedAt }).from(asks).limit(1))[0]).toEqual({
    status: "rejected",
    reviewedAt: at(HOUR).toISOString(),
  });
  expect(
    await db
      .select({ kind: outbox.kind, status: outbox.status, textBody: outbox.textBody })
      .from(outbox)
      .orderBy(asc(outbox.id)),
  ).toEqual([
    { kind: "ask-confirmation", status: "cancelled", textBody: "" },
    { kind: "candidate-ask", status: "cancelled", textBody: "" },
  ]);
});

test("a digest not yet sent is cancelled and the other supporters in it go in the next one; a sent one loses only their line", async () => {
  // A cap of one mail an hour: every ask after the first goes into a digest.
  const { seat, first } = await setUp({ askHourlyCap: 1 });
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: [first.id],
    name: "Ada Ashgrove",
    now: at(0),
  });
  await ask(person, { seat, candidacyIds: [first.id], now: at(MINUTE) });
  await ask(neighbour, { seat, candidacyIds: [first.id], now: at(2 * MINUTE) });
  expect(await queueDueDigests({ now: at(HOUR + MINUTE) })).toBe(1);
  const digest = (await db.select().from(outbox).where(eq(outbox.kind, "candidate-digest")).limit(1))[0]!;
  expect(digest.textBody).toContain(`- ${person.name}: "${person.personalMessage}"`);

  const result = await eraseSupporter({
    email: person.email,
    reason: "staff-request",
    by: admin,
    now: at(HOUR + 2 * MINUTE),
  });

  // The digest, and their confirmation mail the worker had not sent yet.
  expect(result.mailsCancelled).toBe(2);
  expect((await db.select().from(outbox).where(eq(outbox.id, digest.id)).limit(1))[0]).toMatchObject({
    status: "cancelled",
    textBody: "",
  });
  // The next digest carries the neighbour alone.
  expect(await queueDueDigests({ now: at(3 * HOUR) })).toBe(1);
  const next = (await outboxRows("candidate-digest")).at(-1)!;
  expect(next.id).not.toBe(digest.id);
  expect(next.textBody).toContain(`- ${neighbour.name}: "${neighbour.personalMessage}"`);
  expect(next.textBody).not.toContain(person.name);

  // Once that one is sent, erasing the neighbour rewrites their line and keeps the rest.
  const sentBody = next.textBody;
  await writeTransaction(db, () =>
    db
      .update(outbox)
      .set({ status: "sent", sentAt: at(3 * HOUR).toISOString() })
      .where(eq(outbox.id, next.id)),
  );
  await eraseSupporter({ email: neighbour.email, reason: "staff-request", by: admin, now: at(4 * HOUR) });
  const rewritten = (await db.select().from(outbox).where(eq(outbox.id, next.id)).limit(1))[0]!;
  expect(rewritten.status).toBe("sent");
  expect(rewritten.textBody).toBe(
    sentBody.replace(
      `- ${neighbour.name}: "${neighbour.personalMessage}"`,
      "- (a constituent whose details have since been erased)",
    ),
  );
});

test("erasure is audited by a keyed hash of the address, never the address, and deletes their rate-limit counter", async () => {
  const { seat, first } = await setUp();
  await ask(person, { seat, candidacyIds: [first.id], now: at(0) });
  expect((await db.select().from(rateLimits)).some((r) => r.key.startsWith("ask-email:"))).toBe(true);

  const result = await eraseSupporter({
    email: person.email,
    reason: "staff-request",
    by: admin,
    now: at(HOUR),
    suppress: true,
  });

  expect(result.rateLimitKeys).toBe(1);
  expect((await db.select().from(rateLimits)).some((r) => r.key.startsWith("ask-email:"))).toBe(false);
  const entries = await db.select().from(auditLog).where(eq(auditLog.action, "person.erase"));
  expect(entries).toEqual([
    expect.objectContaining({
      actor: admin,
      action: "person.erase",
      subject: `person:${await emailKeyHash(person.email)}`,
      details: expect.objectContaining({ reason: "staff-request", suppressed: true, asks: 1 }),
    }),
  ]);
  expect(await emailKeyHash(person.email)).toMatch(/^[\w-]{22}$/);
  expect(JSON.stringify(entries)).not.toContain(person.email);
  expect(await db.select().from(suppressions)).toEqual([
    { emailHash: await emailKeyHash(person.email), createdAt: at(HOUR).toISOString() },
  ]);
});

test("a suppressed address can ask again but is not signed up for updates; without suppression it is", async () => {
  const { seat, first } = await setUp();
  await ask(person, { seat, candidacyIds: [first.id], now: at(0) });
  await ask(neighbour, { seat, candidacyIds: [first.id], now: at(0) });
  await eraseSupporter({
    email: person.email,
    reason: "supporter-request",
    by: "supporter",
    now: at(HOUR),
    suppress: true,
  });
  await eraseSupporter({ email: neighbour.email, reason: "supporter-request", by: "supporter", now: at(HOUR) });

  await ask(person, { seat, candidacyIds: [first.id], now: at(DAY) });
  await ask(neighbour, { seat, candidacyIds: [first.id], now: at(DAY) });

  expect(await askOf(person.email)).toMatchObject({ status: "confirmed", wantsUpdates: false });
  expect(await askOf(neighbour.email)).toMatchObject({ status: "confirmed", wantsUpdates: true });
});

test("erasing runs in its own transaction and refuses to run inside another", async () => {
  await setUp();
  await expect(
    writeTransaction(db, () => eraseSupporter({ email: person.email, reason: "staff-request", by: admin, now: t0 })),
  ).rejects.toThrow(/outside any transaction/);
  await expect(eraseSupporter({ email: "  ", reason: "staff-request", by: admin, now: t0 })).rejects.toThrow();
});

// ---------------------------------------------------------------- retention

// The campaign's polling day is 2024-07-04 (buildCampaignSettings).

async function retentionAudit() {
  return await db.select().from(auditLog).where(eq(auditLog.action, "retention.erase")).orderBy(asc(auditLog.id));
}
const pollingDay = new Date("2024-07-04T06:00:00.000Z");

test("retention erases ask data N days after polling day, keeping only the name and email of those who want updates", async () => {
  const { seat, first } = await setUp();
  await ask(person, { seat, candidacyIds: [first.id], now: at(0), wantsUpdates: false });
  await ask(neighbour, { seat, candidacyIds: [first.id], now: at(0), wantsUpdates: true });
  const counts = await countConfirmedAsks({ constituencyCode: seat.gssCode });

  // 2024-07-04 + 90 days = 2 October; London is on BST, so that day begins at 23:00 UTC on 1 October.
  const dayBefore = new Date("2024-10-01T22:59:59.000Z");
  expect(await eraseExpiredAsks({ now: dayBefore, askDaysAfterPollingDay: 90 })).toEqual({
    erased: 0,
    contactsKept: 0,
  });
  expect((await askOf(person.email))?.postcode).toBe(person.postcode);

  const due = new Date("2024-10-01T23:00:00.000Z");
  expect(await eraseExpiredAsks({ now: due, askDaysAfterPollingDay: 90 })).toEqual({ erased: 1, contactsKept: 1 });

  expect(await askOf(person.email)).toBeUndefined();
  expect(await askOf(neighbour.email)).toMatchObject({
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
  expect(await db.select({ textBody: outbox.textBody }).from(outbox).where(eq(outbox.kind, "candidate-ask"))).toEqual([
    { textBody: "" },
    { textBody: "" },
  ]);
  expect(await countConfirmedAsks({ constituencyCode: seat.gssCode })).toBe(counts);
  expect(await retentionAudit()).toEqual([
    expect.objectContaining({
      actor: "retention",
      action: "retention.erase",
      details: { askDaysAfterPollingDay: 90, erased: 1, contactsKept: 1 },
    }),
  ]);

  // Idempotent: a second run finds nothing left to do and records nothing.
  expect(await eraseExpiredAsks({ now: at(200 * DAY), askDaysAfterPollingDay: 90 })).toEqual({
    erased: 0,
    contactsKept: 0,
  });
  expect(await retentionAudit()).toHaveLength(1);
});

test("an ask made after polling day is kept for the whole period from when it was made", async () => {
  const { seat, first } = await setUp();
  const late = new Date(pollingDay.getTime() + 400 * DAY);
  await ask(person, { seat, candidacyIds: [first.id], now: late, wantsUpdates: false });

  expect(await eraseExpiredAsks({ now: new Date(late.getTime() + 89 * DAY), askDaysAfterPollingDay: 90 })).toEqual({
    erased: 0,
    contactsKept: 0,
  });
  expect((await askOf(person.email))?.postcode).toBe(person.postcode);
  expect(await eraseExpiredAsks({ now: new Date(late.getTime() + 90 * DAY), askDaysAfterPollingDay: 90 })).toEqual({
    erased: 1,
    contactsKept: 0,
  });
});

test("retention works in short batches until everyone is done", async () => {
  const { seat, first } = await setUp();
  for (let i = 0; i < 5; i++)
    await insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: [first.id],
      email: `s${i}@example.org`,
      now: at(0),
    });

  const result = await eraseExpiredAsks({
    now: new Date(pollingDay.getTime() + 30 * DAY),
    askDaysAfterPollingDay: 7,
    batchSize: 2,
  });

  expect(result).toEqual({ erased: 5, contactsKept: 0 });
  expect((await db.select().from(asks)).every((a) => a.email === "" && a.erasedAt !== null)).toBe(true);
  // Three transactions of at most two people, each audited.
  expect((await retentionAudit()).map((e) => e.details)).toEqual([
    { askDaysAfterPollingDay: 7, erased: 2, contactsKept: 0 },
    { askDaysAfterPollingDay: 7, erased: 2, contactsKept: 0 },
    { askDaysAfterPollingDay: 7, erased: 1, contactsKept: 0 },
  ]);
});

// secure_delete is SQLite's own pragma: PostgreSQL leaves deleted rows to
// vacuum, in files only the server's operator can read.
test.skipIf(engine === "postgres")(
  "the app's connection has secure_delete on, so deleted bytes are zeroed",
  async () => {
    // The connection that deletes: outside a transaction, db.$client is the read-only one.
    expect(await withWriter(db, (client) => client.pragma("secure_delete", { simple: true }))).toBe(1);
  },
);
