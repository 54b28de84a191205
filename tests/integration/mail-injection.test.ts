// Property: whatever a supporter or a data file puts in a name, subject or
// email address (CR, LF, NUL, other control characters, header-looking text),
// a mail never gains a header or a recipient. Hundreds of generated cases go
// through a real SMTP server and are parsed back. No property-testing library
// is installed, so a small seeded generator makes the cases; a failure names
// its seed and case (set MAIL_PROPERTY_SEED to replay or explore other seeds).
import { eq } from "drizzle-orm";
import type { AddressObject } from "mailparser";
import { afterEach, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { outbox } from "#db/schema";
import { enqueueMail } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { cleanHeaderText, createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { saveTestCampaign, startTestMailServer } from "../mail-server";

const seed = Number(process.env.MAIL_PROPERTY_SEED ?? 20240704);
const rounds = 4;
const casesPerRound = 75;
const now = new Date("2024-06-10T12:00:00.000Z");

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seedValue: number) {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const injections = [
  "\r\nBcc: evil@example.org",
  "\nBcc: evil@example.org",
  "\rCc: evil@example.org",
  "x\r\nBcc: evil@example.org",
  "\r\nX-Injected: yes",
  "\r\n\r\nA body of the attacker's choosing",
  "\r\n To: evil@example.org",
  "\u0000",
  "\u0000\r\nBcc: evil@example.org",
  "\t",
  "\u000b",
  "\u000c",
  "\u001b[31m",
  "\u007f",
  "\u0085Bcc: evil@example.org",
  "\u2028Bcc: evil@example.org",
  "\u2029",
  ", evil@example.org",
  "; evil@example.org",
  "<evil@example.org>",
  '"Evil" <evil@example.org>',
  "evil@example.org",
  "=?UTF-8?Q?=0D=0ABcc:_evil@example.org?=",
  "%0d%0aBcc: evil@example.org",
  "\\",
  '"',
  "(comment)",
  ":",
];
const words = [
  "Ada",
  "Sam",
  "O'Brien",
  "Siân",
  "Łukasz",
  "张伟",
  "Nguyễn",
  "😀",
  "Smith-Jones",
  "Dr.",
  "Jr",
  "Pledge",
  "River",
];

function generator(seedValue: number) {
  const next = random(seedValue);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  function text() {
    const parts = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
      chance(0.5) ? pick(injections) : pick(words),
    );
    return parts.join(chance(0.5) ? " " : "");
  }
  function insert(into: string, piece: string) {
    const at = Math.floor(next() * (into.length + 1));
    return into.slice(0, at) + piece + into.slice(at);
  }
  function address(n: number) {
    const clean = `person${n}.${Math.floor(next() * 1e6)}@example.net`;
    return chance(0.35) ? insert(clean, pick(injections)) : clean;
  }
  return { text, address, chance };
}

// The headers a mail of ours may carry; anything else was injected.
const allowedHeaders = new Set([
  "from",
  "to",
  "reply-to",
  "subject",
  "message-id",
  "date",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);
// eslint-disable-next-line no-control-regex -- matching control characters is the purpose
const plainAddress = /^[^\s\u0000-\u001f\u007f-\u009f\u2028\u2029,;<>"()\\:@]+@[a-z0-9.-]+$/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the purpose
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function addressList(header: AddressObject | AddressObject[] | undefined) {
  return [header ?? []].flat().flatMap((h) => h.value);
}

function headerNames(raw: string) {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  return head
    .split(/\r?\n/)
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test(`names, subjects and addresses with control characters never add a header or a recipient (seed ${seed})`, async () => {
  const server = await startTestMailServer();
  cleanups.push(() => server.close());
  const transport = createMailTransport(server.url);
  cleanups.push(() => transport.close());
  const gen = generator(seed);
  const cases: {
    id: number;
    toAddress: string;
    replyTo: string | null;
    toName: string;
    subject: string;
    label: string;
  }[] = [];

  for (let round = 0; round < rounds; round++) {
    // The campaign's name is in every From header, so it is generated too.
    await saveTestCampaign({ name: gen.text(), fromEmail: "pledge@cleanrivers.example.org" });
    for (let i = 0; i < casesPerRound; i++) {
      const n = round * casesPerRound + i;
      const toAddress = gen.address(n);
      const replyTo = gen.chance(0.5) ? gen.address(n + 100_000) : null;
      const toName = gen.text();
      const subject = gen.text();
      const id = await writeTransaction(db, async () =>
        enqueueMail({
          kind: "candidate-ask",
          toAddress,
          toName,
          replyTo,
          subject,
          textBody: `${gen.text()}\r\nBcc: evil@example.org\r\n\r\nhttp://localhost:3000/pledge/${n}`,
          now,
        }),
      );
      cases.push({
        id,
        toAddress,
        replyTo,
        toName,
        subject,
        label: `seed ${seed}, case ${n}: ${JSON.stringify({ toAddress, replyTo, toName, subject })}`,
      });
    }
    await drainOutbox({ transport, now });
  }

  const sendable = (a: string | null) => a === null || plainAddress.test(a);
  const received = new Map(server.received.map((m) => [m.parsed.messageId, m]));
  let sent = 0;
  for (const c of cases) {
    const row = (await db.select().from(outbox).where(eq(outbox.id, c.id)).limit(1))[0]!;
    const mail = received.get(row.messageId);
    if (!sendable(c.toAddress) || !sendable(c.replyTo)) {
      // An address is never tidied into a different one: it is refused.
      expect(row.status, c.label).toBe("failed");
      expect(mail, c.label).toBeUndefined();
      continue;
    }
    sent++;
    expect(row.status, c.label).toBe("sent");
    expect(mail, c.label).toBeDefined();
    expect(mail!.envelope.to, c.label).toEqual([c.toAddress]);
    expect(
      addressList(mail!.parsed.to).map((a) => a.address),
      c.label,
    ).toEqual([c.toAddress]);
    expect(
      addressList(mail!.parsed.from).map((a) => a.address),
      c.label,
    ).toEqual(["pledge@cleanrivers.example.org"]);
    expect(
      addressList(mail!.parsed.replyTo).map((a) => a.address),
      c.label,
    ).toEqual(c.replyTo ? [c.replyTo] : []);
    expect(mail!.parsed.cc, c.label).toBeUndefined();
    expect(mail!.parsed.bcc, c.label).toBeUndefined();
    for (const name of headerNames(mail!.raw))
      expect(allowedHeaders.has(name), `${c.label}: header ${name}`).toBe(true);
    expect(
      [...mail!.parsed.headers.keys()].filter((k) => !allowedHeaders.has(k)),
      c.label,
    ).toEqual([]);
    // What arrives reads as what was meant, less the control characters.
    expect(mail!.parsed.subject ?? "", c.label).not.toMatch(controlCharacter);
    expect(mail!.parsed.subject ?? "", c.label).toBe(cleanHeaderText(c.subject));
    for (const a of addressList(mail!.parsed.to)) expect(a.name, c.label).not.toMatch(controlCharacter);
    expect(addressList(mail!.parsed.to)[0]!.name, c.label).toBe(cleanHeaderText(c.toName));
  }

  // Every RCPT TO the server saw belongs to a mail that was meant to go.
  expect(server.offeredRecipients.length).toBe(sent);
  const intended = new Set(cases.filter((c) => sendable(c.toAddress) && sendable(c.replyTo)).map((c) => c.toAddress));
  for (const recipient of server.offeredRecipients) expect(intended.has(recipient), recipient).toBe(true);
  // The generator really did exercise both sides.
  expect(sent).toBeGreaterThan(50);
  expect(cases.length - sent).toBeGreaterThan(50);
}, 120_000);
