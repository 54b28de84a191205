import { writeTransaction } from "#db/index";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { askRecipients, asks, campaigns } from "#db/schema";
import { confirmAsk, deleteExpiredAsks, findAskByToken, submitAsk, type NewAsk } from "~/models/ask.server";
import { countConfirmedAsks, listRecentPublicSupporters } from "~/models/supporter.server";
import { queueDueDigests } from "~/models/digest.server";
import { sendDueReminders } from "~/models/reminder.server";
import { RateLimited } from "~/utils/too-many-requests";
import { db } from "~/utils/db.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { hashToken } from "~/utils/tokens.server";
import { outboxRows, snapshotDatabase } from "../db";
import { insertCampaign, insertCandidacy, insertConstituency, buildAsk } from "../factories";
import { MINUTE, HOUR, DAY } from "../time";
import { tokenIn } from "../links";

const t0 = new Date("2024-06-20T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

const BRACKENBY = "E14009904";

/** The campaign, and Brackenby Vale with five standing candidates: four with a published email, one without. */
async function setUp() {
  const campaign = await insertCampaign();
  const seat = await insertConstituency({ gssCode: BRACKENBY, name: "Brackenby Vale" });
  const withEmail: Awaited<ReturnType<typeof insertCandidacy>>[] = [];
  for (const email of ["ruth@example.net", "edward@example.org", "felix@example.net", "zoe@example.org"])
    withEmail.push(await insertCandidacy({ constituency: seat, email }));
  const withoutEmail = [await insertCandidacy({ constituency: seat, email: null })];
  return { campaign, candidates: [...withEmail, ...withoutEmail], withEmail, withoutEmail };
}

let ipCounter = 0;
function anAsk(overrides: Partial<NewAsk> & { candidacyIds: number[] }): NewAsk {
  return buildAsk({ constituencyCode: BRACKENBY, showOnPublicList: true, ...overrides });
}

/** Each submission from its own address, unless a test is about the IP limits. */
async function submit(ask: NewAsk, now = t0, clientIp = `192.0.2.${++ipCounter % 250}`) {
  return submitAsk({ ask, clientIp, now });
}

async function submitAndGetToken(ask: NewAsk, now = t0) {
  await submit(ask, now);
  const mail = (await outboxRows())
    .filter((m) => m.toAddress === ask.email.toLowerCase() && m.kind === "ask-confirmation")
    .at(-1);
  return tokenIn(mail?.textBody ?? "", "asks/confirm");
}

test("submitting records a pending ask and mails the supporter a link; nothing goes to candidates", async () => {
  const { candidates } = await setUp();
  const result = await submit(anAsk({ candidacyIds: candidates.map((c) => c.id), email: "Rajan@Example.org" }));
  expect(result.outcome).toBe("created");

  const [ask] = await db.select().from(asks);
  expect(ask).toMatchObject({ status: "pending", email: "rajan@example.org", confirmedAt: null });
  const mails = await outboxRows();
  expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([["ask-confirmation", "rajan@example.org"]]);
  expect(mails[0]?.textBody).toContain("Nothing has been sent yet");
  // The link's token is 256 bits; only its hash is stored.
  const token = tokenIn(mails[0]?.textBody ?? "", "asks/confirm");
  expect(ask?.tokenHash).toBe(hashToken(token));
  // Until the worker sends it, the mail in the outbox is the only place the token exists.
  const { outbox: queued, ...rest } = await snapshotDatabase();
  expect(JSON.stringify(rest)).not.toContain(token);
  expect(JSON.stringify(queued)).toContain(token);
  expect(await listRecentPublicSupporters({ limit: 10 })).toEqual([]);
  expect(await countConfirmedAsks({ constituencyCode: BRACKENBY })).toBe(0);
});

test("an ask keeps its client address and network only as hashes, and a fingerprint of its paragraph, for the review rules", async () => {
  const { candidates } = await setUp();
  const ids = candidates.map((c) => c.id);
  await submit(
    anAsk({
      candidacyIds: ids,
      email: "a@example.org",
      personalMessage: "Please  sign.\nIt MATTERS to my family, who came here as refugees.",
    }),
    t0,
    "203.0.113.7",
  );
  await submit(
    anAsk({
      candidacyIds: ids,
      email: "b@example.org",
      personalMessage: "please sign. it matters to my family, who came here as refugees.",
    }),
    t0,
    "203.0.113.9",
  );
  await submit(anAsk({ candidacyIds: ids, email: "c@example.org", personalMessage: null }), t0, "::ffff:198.51.100.1");
  await submit(anAsk({ candidacyIds: ids, email: "d@example.org", personalMessage: "Please sign." }), t0, "192.0.2.1");

  const [a, b, c, d] = await db.select().from(asks).orderBy(asks.id);
  // Neither the address nor its network is stored in clear.
  expect(JSON.stringify(await db.select().from(asks))).not.toMatch(/203\.0\.113|198\.51\.100/);
  expect(a!.clientAddressHash).not.toBe(b!.clientAddressHash);
  expect(a!.clientNetworkHash).toBe(b!.clientNetworkHash);
  expect(c!.clientNetworkHash).not.toBe(a!.clientNetworkHash);
  expect(a!.clientNetworkHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  // The same words in another case and spacing are the same paragraph.
  expect(a!.messageFingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(a!.messageFingerprint).toBe(b!.messageFingerprint);
  expect(c!.messageFingerprint).toBeNull();
  // A short line recurs by chance: it is not compared.
  expect(d!.messageFingerprint).toBeNull();
});

test("opening the link changes nothing; only confirming sends, and the link works once", async () => {
  const { campaign, candidates, withEmail, withoutEmail } = await setUp();
  const token = await submitAndGetToken(anAsk({ candidacyIds: candidates.map((c) => c.id) }));

  const before = await snapshotDatabase();
  const page = await findAskByToken({ token, now: at(HOUR) });
  expect(page?.candidateNames).toHaveLength(candidates.length);
  expect(await snapshotDatabase()).toEqual(before);

  const confirmed = await confirmAsk({ token, now: at(HOUR) });
  expect(confirmed?.withoutEmail).toEqual(withoutEmail.map((c) => ({ candidacyId: c.id, name: c.name })));
  const candidateMails = await outboxRows("candidate-ask");
  expect(candidateMails.map((m) => m.toAddress).sort()).toEqual(withEmail.map((c) => c.email).sort());
  for (const mail of candidateMails) {
    expect(mail.replyTo).toBe("rajan@example.org");
    expect(mail.textBody).toContain(campaign.points[0]!.title);
  }
  const deliveries = (await db.select({ delivery: askRecipients.delivery }).from(askRecipients)).map((r) => r.delivery);
  expect(deliveries.filter((d) => d === "no-email")).toHaveLength(withoutEmail.length);
  expect(deliveries.filter((d) => d === "mail")).toHaveLength(withEmail.length);

  expect(await confirmAsk({ token, now: at(HOUR) })).toBeNull();
  expect(await findAskByToken({ token, now: at(HOUR) })).toBeNull();
  expect(await outboxRows("candidate-ask")).toHaveLength(withEmail.length);
});

test("a tampered, unknown or expired link confirms nothing", async () => {
  const { candidates } = await setUp();
  const token = await submitAndGetToken(anAsk({ candidacyIds: [candidates[0]!.id] }));
  const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
  expect(await confirmAsk({ token: tampered, now: t0 })).toBeNull();
  expect(await confirmAsk({ token: "short", now: t0 })).toBeNull();
  expect(await confirmAsk({ token, now: at(7 * DAY + 1) })).toBeNull();
  expect((await db.select({ status: asks.status }).from(asks).limit(1))[0]?.status).toBe("pending");
  expect(await outboxRows("candidate-ask")).toEqual([]);
});

test("asking again with the same email shows the same outcome and sends an 'already asked' mail instead", async () => {
  const { candidates } = await setUp();
  const ask = anAsk({ candidacyIds: [candidates[0]!.id] });
  const token = await submitAndGetToken(ask);
  await confirmAsk({ token, now: t0 });

  const again = await submit({ ...ask, email: "RAJAN@example.org", name: "Someone Else" }, at(HOUR));
  expect(again.outcome).toBe("already-asked");
  expect(await db.select().from(asks)).toHaveLength(1);
  const already = await outboxRows("ask-already");
  expect(already).toHaveLength(1);
  expect(already[0]?.toAddress).toBe("rajan@example.org");
  expect(already[0]?.textBody).toContain("we have not sent another");
  expect(already[0]?.textBody).not.toMatch(/\/asks\/confirm\//);
});

test("one reminder after a day, with a fresh link that replaces the first", async () => {
  const { candidates } = await setUp();
  const first = await submitAndGetToken(anAsk({ candidacyIds: [candidates[0]!.id] }));
  expect(await sendDueReminders({ now: at(23 * HOUR) })).toBe(0);
  expect(await sendDueReminders({ now: at(DAY + 1) })).toBe(1);
  const reminders = await outboxRows("ask-reminder");
  expect(reminders).toHaveLength(1);
  expect(reminders[0]?.subject).toMatch(/^Reminder:/);
  const second = tokenIn(reminders[0]?.textBody ?? "", "asks/confirm");
  expect(second).not.toBe(first);
  expect(await sendDueReminders({ now: at(3 * DAY) })).toBe(0);
  expect(await confirmAsk({ token: first, now: at(2 * DAY) })).toBeNull();
  expect(await confirmAsk({ token: second, now: at(2 * DAY) })).not.toBeNull();
});

test("unconfirmed asks are deleted after 7 days with the mails that carried their links; confirmed ones stay", async () => {
  const { candidates } = await setUp();
  await submit(anAsk({ candidacyIds: [candidates[0]!.id], email: "pending@example.org" }));
  const kept = await submitAndGetToken(anAsk({ candidacyIds: [candidates[0]!.id], email: "kept@example.org" }));
  await confirmAsk({ token: kept, now: t0 });

  expect(await deleteExpiredAsks({ now: at(7 * DAY - 1) })).toBe(0);
  expect(await deleteExpiredAsks({ now: at(7 * DAY) })).toBe(1);
  expect(await db.select({ email: asks.email }).from(asks)).toEqual([{ email: "kept@example.org" }]);
  expect((await outboxRows()).some((m) => m.toAddress === "pending@example.org")).toBe(false);
});

test("above the hourly cap, asks to a candidate are gathered into one digest once the hour has room", async () => {
  const { campaign, withEmail } = await setUp();
  await writeTransaction(db, () => db.update(campaigns).set({ askHourlyCap: 1 }));
  const candidate = withEmail[0]!;
  const names = ["Ann Able", "Ben Baker", "Cat Cole", "Dev Dean"];
  for (const [i, name] of names.entries()) {
    const token = await submitAndGetToken(
      anAsk({ name, email: `s${i}@example.org`, candidacyIds: [candidate.id] }),
      at(i * 1000),
    );
    await confirmAsk({ token, now: at(i * 1000 + 500) });
  }
  expect(await outboxRows("candidate-ask")).toHaveLength(1);
  expect(await queueDueDigests({ now: at(10 * MINUTE) })).toBe(0);

  expect(await queueDueDigests({ now: at(HOUR + 1000) })).toBe(1);
  const digests = await outboxRows("candidate-digest");
  expect(digests).toHaveLength(1);
  expect(digests[0]?.toAddress).toBe(candidate.email);
  expect(digests[0]?.subject).toBe(`3 constituents in Brackenby Vale asked you to sign the ${campaign.name} pledge`);
  for (const name of names.slice(1)) expect(digests[0]?.textBody).toContain(name);
  expect(await queueDueDigests({ now: at(3 * HOUR) })).toBe(0);
  const waiting = await db
    .select()
    .from(askRecipients)
    .where(and(eq(askRecipients.delivery, "digest"), eq(askRecipients.candidacyId, candidate.id)));
  expect(waiting.every((r) => r.outboxId === digests[0]?.id)).toBe(true);
});

test("the public list shows only confirmed supporters who opted in, as first name and initial", async () => {
  const { candidates } = await setUp();
  const ids = [candidates[0]!.id];
  await confirmAsk({
    token: await submitAndGetToken(anAsk({ name: "Rajan Nair", email: "a@example.org", candidacyIds: ids })),
    now: at(1000),
  });
  await confirmAsk({
    token: await submitAndGetToken(
      anAsk({ name: "Private Person", email: "b@example.org", showOnPublicList: false, candidacyIds: ids }),
    ),
    now: at(2000),
  });
  await submit(anAsk({ name: "Not Confirmed", email: "c@example.org", candidacyIds: ids }));
  const list = await listRecentPublicSupporters({ limit: 10 });
  expect(list).toEqual([
    {
      name: "Rajan N",
      confirmedOn: "20 Jun 2024",
      constituencyName: "Brackenby Vale",
      constituencySlug: "brackenby-vale",
    },
  ]);
  expect(JSON.stringify(list)).not.toMatch(/Nair|example\.org|ZZ4/);
  expect(await countConfirmedAsks({ constituencyCode: BRACKENBY })).toBe(2);
});

async function retryAfterOf(submission: () => Promise<unknown>) {
  try {
    await submission();
  } catch (error) {
    if (error instanceof RateLimited) return error.retryAfterSeconds;
    throw error;
  }
  throw new Error("expected the submission to be rate limited");
}

test("submissions from one IP are limited in bursts and over the hour; mails to one address per day", async () => {
  const { candidates } = await setUp();
  const ids = [candidates[0]!.id];
  for (let i = 0; i < 5; i++)
    await submit(anAsk({ email: `burst${i}@example.org`, candidacyIds: ids }), at(i), "198.51.100.7");
  const before = await snapshotDatabase();
  await expect(
    submit(anAsk({ email: "burst6@example.org", candidacyIds: ids }), at(10), "198.51.100.7"),
  ).rejects.toThrow(RateLimited);
  // It says when the burst window (a minute from the first submission) reopens.
  expect(
    await retryAfterOf(() =>
      submit(anAsk({ email: "burst7@example.org", candidacyIds: ids }), at(30_000), "198.51.100.7"),
    ),
  ).toBe(30);
  // The refused submission left no ask and no mail behind.
  expect((await snapshotDatabase()).asks).toEqual(before.asks);
  expect((await snapshotDatabase()).outbox).toEqual(before.outbox);
  expect((await submit(anAsk({ email: "other@example.org", candidacyIds: ids }), at(10), "198.51.100.8")).outcome).toBe(
    "created",
  );

  // Sustained: 30 an hour, even when spread out past the burst window.
  for (let i = 0; i < 30; i++) {
    const now = at(2 * 60_000 * (i + 1));
    try {
      await submit(anAsk({ email: `slow${i}@example.org`, candidacyIds: ids }), now, "203.0.113.9");
    } catch (error) {
      expect(error).toBeInstanceOf(RateLimited);
      expect(i).toBe(30);
    }
  }
  await expect(
    submit(anAsk({ email: "slow-last@example.org", candidacyIds: ids }), at(61 * 60_000), "203.0.113.9"),
  ).rejects.toThrow(RateLimited);

  // Per address: the confirmation, then two "already asked" mails, then no more that day.
  for (let i = 0; i < 3; i++) await submit(anAsk({ email: "same@example.org", candidacyIds: ids }), at(HOUR * 2 + i));
  expect(
    await retryAfterOf(() => submit(anAsk({ email: "same@example.org", candidacyIds: ids }), at(HOUR * 2 + HOUR))),
  ).toBe(23 * 60 * 60);
  expect((await submit(anAsk({ email: "same@example.org", candidacyIds: ids }), at(HOUR * 2 + DAY + 10))).outcome).toBe(
    "already-asked",
  );
});

test("once the confirmation mail is sent, the outbox keeps no working copy of its link", async () => {
  const { candidates } = await setUp();
  const token = await submitAndGetToken(anAsk({ candidacyIds: [candidates[0]!.id] }));
  await drainOutbox({ transport: createMailTransport(), now: at(1000) });
  const [sent] = await outboxRows("ask-confirmation");
  expect(sent?.status).toBe("sent");
  expect(sent?.textBody).toContain("/asks/confirm/[removed once sent]");
  expect(JSON.stringify((await snapshotDatabase()).outbox)).not.toContain(token);
  // The delivered copy in the local mailbox is the supporter's own mail, and still works.
  expect(await confirmAsk({ token, now: at(2000) })).not.toBeNull();
});
