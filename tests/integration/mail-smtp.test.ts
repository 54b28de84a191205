// Sending the outbox through a real SMTP server on 127.0.0.1: the message is
// parsed back and its headers, recipients and links checked, and the server's
// refusals drive retries and failures.
import { eq } from "drizzle-orm";
import type { AddressObject } from "mailparser";
import { afterEach, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { outbox } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { enqueueMail } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { createMailTransport, type MailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { outboxRows } from "../db";
import { buildAsk, insertCampaign, insertCandidacy, insertConstituency } from "../factories";
import { findClosedPort, saveTestCampaign, startTestMailServer, type TestMailServer } from "../mail-server";

const now = new Date("2024-06-10T12:00:00.000Z");
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Transports first: a pooled connection left open would keep the server's close waiting.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtpServer(options?: Parameters<typeof startTestMailServer>[0]) {
  const server = await startTestMailServer(options);
  cleanups.push(() => server.close());
  return server;
}

function smtpTransport(server: Pick<TestMailServer, "url">): MailTransport {
  const transport = createMailTransport(server.url);
  cleanups.push(() => transport.close());
  return transport;
}

async function queueAsk(overrides: Partial<Parameters<typeof enqueueMail>[0]> = {}) {
  return writeTransaction(db, async () =>
    enqueueMail({
      kind: "candidate-ask",
      toAddress: "ada.lovelace@candidates.example.org",
      toName: "Ada Lovelace",
      replyTo: "sam.supporter@example.net",
      subject: "Will you sign the Clean Rivers pledge? A constituent in Fenhallow asks",
      textBody:
        "Dear Ada Lovelace,\n\nYou can sign the pledge here:\nhttp://localhost:3000/constituencies/fenhallow/pledge\n\n--\nClean Rivers Pledge\n",
      askId: null,
      candidacyId: null,
      now,
      ...overrides,
    }),
  );
}

async function row(id: number) {
  return (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!;
}

function addresses(header: AddressObject | AddressObject[] | undefined) {
  return [header ?? []].flat().flatMap((h) => h.value.map((v) => ({ name: v.name, address: v.address })));
}

test("a mail arrives from the campaign, to the candidate, replying to the supporter, with the row's Message-ID and its link", async () => {
  await saveTestCampaign({ name: "Clean Rivers Pledge", fromEmail: "pledge@cleanrivers.example.org" });
  const server = await smtpServer();
  const id = await queueAsk();

  const counts = await drainOutbox({ transport: smtpTransport(server), now });

  expect(counts).toEqual({ sent: 1, retried: 0, failed: 0, requeued: 0 });
  expect(server.received).toHaveLength(1);
  const [mail] = server.received;
  expect(mail!.envelope).toEqual({
    from: "pledge@cleanrivers.example.org",
    to: ["ada.lovelace@candidates.example.org"],
  });
  expect(addresses(mail!.parsed.from)).toEqual([
    { name: "Clean Rivers Pledge", address: "pledge@cleanrivers.example.org" },
  ]);
  expect(addresses(mail!.parsed.to)).toEqual([
    { name: "Ada Lovelace", address: "ada.lovelace@candidates.example.org" },
  ]);
  expect(addresses(mail!.parsed.replyTo)).toEqual([{ name: "", address: "sam.supporter@example.net" }]);
  expect(mail!.parsed.cc).toBeUndefined();
  expect(mail!.parsed.bcc).toBeUndefined();
  expect(mail!.parsed.subject).toBe("Will you sign the Clean Rivers pledge? A constituent in Fenhallow asks");
  expect(mail!.parsed.messageId).toBe((await row(id)).messageId);
  expect(mail!.parsed.text).toContain("Dear Ada Lovelace,");
  expect(mail!.parsed.text).toContain("\nhttp://localhost:3000/constituencies/fenhallow/pledge\n");
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, sentAt: now.toISOString(), lastError: null });
});

test("a mail with no Reply-To has none, and a name outside ASCII survives the trip", async () => {
  await saveTestCampaign({ name: "Afonydd Glân", fromEmail: "addewid@afonydd.example.org" });
  const server = await smtpServer();
  await queueAsk({ toName: "Siân Llŷr", replyTo: null, subject: "Cadarnhewch eich neges – Ynys Môn" });

  await drainOutbox({ transport: smtpTransport(server), now });

  const [mail] = server.received;
  expect(addresses(mail!.parsed.from)).toEqual([{ name: "Afonydd Glân", address: "addewid@afonydd.example.org" }]);
  expect(addresses(mail!.parsed.to)).toEqual([{ name: "Siân Llŷr", address: "ada.lovelace@candidates.example.org" }]);
  expect(mail!.parsed.replyTo).toBeUndefined();
  expect(mail!.parsed.subject).toBe("Cadarnhewch eich neges – Ynys Môn");
});

test("a recipient deferred with 451 is retried a minute later, as the same message", async () => {
  await saveTestCampaign();
  let deferring = true;
  const server = await smtpServer({
    replyToRecipient: () => (deferring ? { code: 451, message: "4.3.0 Mailbox busy, try again later" } : undefined),
  });
  const transport = smtpTransport(server);
  const id = await queueAsk();

  const first = await drainOutbox({ transport, now });

  expect(first).toEqual({ sent: 0, retried: 1, failed: 0, requeued: 0 });
  expect(server.received).toHaveLength(0);
  expect(await row(id)).toMatchObject({ status: "queued", attempts: 1, nextAttemptAt: later(1).toISOString() });
  expect((await row(id)).lastError).toContain("451");
  // Not before its time.
  expect(await drainOutbox({ transport, now: later(0.5) })).toEqual({ sent: 0, retried: 0, failed: 0, requeued: 0 });

  deferring = false;
  const second = await drainOutbox({ transport, now: later(1) });

  expect(second).toEqual({ sent: 1, retried: 0, failed: 0, requeued: 0 });
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  expect(server.received[0]!.parsed.messageId).toBe((await row(id)).messageId);
});

test("a recipient rejected with 550 fails at once and is never retried", async () => {
  await saveTestCampaign();
  const server = await smtpServer({ replyToRecipient: () => ({ code: 550, message: "5.1.1 No such user here" }) });
  const transport = smtpTransport(server);
  const id = await queueAsk();

  const counts = await drainOutbox({ transport, now });

  expect(counts).toEqual({ sent: 0, retried: 0, failed: 1, requeued: 0 });
  expect(await row(id)).toMatchObject({ status: "failed", attempts: 1 });
  expect((await row(id)).lastError).toContain("550 5.1.1 No such user here");
  await drainOutbox({ transport, now: later(24 * 60) });
  expect(server.offeredRecipients).toEqual(["ada.lovelace@candidates.example.org"]);
});

test("when the SMTP server is down the mail waits to be retried", async () => {
  await saveTestCampaign();
  const transport = smtpTransport({ url: `smtp://127.0.0.1:${await findClosedPort()}` });
  const id = await queueAsk();

  const counts = await drainOutbox({ transport, now });

  expect(counts).toEqual({ sent: 0, retried: 1, failed: 0, requeued: 0 });
  expect(await row(id)).toMatchObject({ status: "queued", attempts: 1, nextAttemptAt: later(1).toISOString() });
  expect((await row(id)).lastError).toMatch(/ECONNREFUSED|connect/i);
});

test("a mail to an address that is not one fails without reaching the server", async () => {
  await saveTestCampaign();
  const server = await smtpServer();
  const id = await queueAsk({ toAddress: "ada@example.org, eve@example.org" });

  const counts = await drainOutbox({ transport: smtpTransport(server), now });

  expect(counts).toEqual({ sent: 0, retried: 0, failed: 1, requeued: 0 });
  expect(await row(id)).toMatchObject({
    status: "failed",
    lastError: "The recipient's address is not a valid email address.",
  });
  expect(server.offeredRecipients).toEqual([]);
});

test("before a campaign is set up there is no From address, so mail waits", async () => {
  const server = await smtpServer();
  const id = await queueAsk();

  await drainOutbox({ transport: smtpTransport(server), now });

  expect(await row(id)).toMatchObject({
    status: "queued",
    attempts: 1,
    lastError: "No campaign is set up yet, so there is no From address.",
  });
  expect(server.received).toHaveLength(0);
});

test("a drain sends many mails over the pooled connections, each once", async () => {
  await saveTestCampaign();
  const server = await smtpServer();
  const ids: number[] = [];
  for (let i = 0; i < 120; i++) ids.push(await queueAsk({ toAddress: `candidate${i}@candidates.example.org` }));

  const counts = await drainOutbox({ transport: smtpTransport(server), now });

  expect(counts.sent).toBe(120);
  expect(server.received.map((m) => m.envelope.to[0]).sort()).toEqual(
    ids.map((_, i) => `candidate${i}@candidates.example.org`).sort(),
  );
  expect(new Set(server.received.map((m) => m.parsed.messageId)).size).toBe(120);
});

test("a supporter's mail carries List-Unsubscribe (its one-click link) and List-Unsubscribe-Post; the link goes once sent", async () => {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidate = await insertCandidacy({ constituency: seat, email: "ruth@candidates.example.org" });
  await submitAsk({
    ask: buildAsk({ constituencyCode: seat.gssCode, candidacyIds: [candidate.id], wantsUpdates: true }),
    clientIp: "192.0.2.7",
    now,
  });
  const [queued] = await outboxRows("ask-confirmation");
  const unsubscribe = queued!.listUnsubscribe!;
  expect(unsubscribe).toMatch(/^http:\/\/localhost:3000\/your-data\/[A-Za-z0-9_-]{43}\/unsubscribe$/);
  const server = await smtpServer();

  await drainOutbox({ transport: smtpTransport(server), now });

  const [mail] = server.received;
  // The raw header, as a mail client reads it: the https link in angle brackets, and no mailto.
  const rawHeaders = mail!.raw
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n/);
  expect(rawHeaders).toContain(`List-Unsubscribe: <${unsubscribe}>`);
  expect(rawHeaders).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  // The footer's manage link is the same token's page.
  expect(mail!.parsed.text).toContain(`delete your data: ${unsubscribe.replace(/\/unsubscribe$/, "")}`);
  // Sent: the outbox keeps neither the header's token nor the body's.
  expect((await row(queued!.id)).listUnsubscribe).toBeNull();
  expect((await row(queued!.id)).textBody).not.toMatch(/\/your-data\/[A-Za-z0-9_-]{43}/);
});

test("a mail to a candidate has no List-Unsubscribe headers", async () => {
  await saveTestCampaign();
  const server = await smtpServer();
  await queueAsk();

  await drainOutbox({ transport: smtpTransport(server), now });

  expect(server.received[0]!.raw.split(/\r?\n\r?\n/)[0]).not.toMatch(/^List-Unsubscribe/im);
});
