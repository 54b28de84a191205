// With no SMTP server the mail goes to the local mailbox, which only this
// machine can read; and the worker that sends it runs on its own timer.
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { writeTransaction } from "#db/index";
import { mailbox, outbox } from "#db/schema";
import { claimDueMail, enqueueMail, markFailed } from "~/models/outbox.server";
import { pauseSending } from "~/models/sending-pause.server";
import { loader as mailboxLoader } from "~/routes/outbox._index";
import { loader as messageLoader } from "~/routes/outbox.$id";
import { loader as rootLoader } from "~/root";
import { db } from "~/utils/db.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox, startMailWorker } from "~/mail/worker.server";
import { saveTestCampaign } from "../mail-server";

const now = new Date("2024-06-10T12:00:00.000Z");
const fromThisMachine: AppLoadContext = { clientIp: "127.0.0.1" };

async function queueConfirmation({ at = now }: { at?: Date } = {}) {
  return writeTransaction(db, async () =>
    enqueueMail({
      kind: "ask-confirmation",
      toAddress: "sam.supporter@example.net",
      toName: "Sam Supporter",
      subject: "Confirm your message to the candidates in Fenhallow",
      textBody:
        "Dear Sam,\n\nConfirm your message (the link works for 7 days): http://localhost:3000/asks/confirm/abc123.\n\nIf you did not ask, ignore this email.\n",
      now: at,
    }),
  );
}

async function callLoader<T>(load: () => T) {
  try {
    return { result: await load() };
  } catch (thrown) {
    return { thrown };
  }
}

function request(path: string) {
  return new Request(`http://localhost:3000${path}`);
}

test("without SMTP a mail is rendered in full and kept in the local mailbox", async () => {
  await saveTestCampaign({ name: "Clean Rivers Pledge", fromEmail: "pledge@cleanrivers.example.org" });
  const id = await queueConfirmation();
  const transport = createMailTransport(undefined);

  const counts = await drainOutbox({ transport, now });

  expect(transport.mode).toBe("local");
  expect(counts.sent).toBe(1);
  const stored = await db.select().from(mailbox);
  const messageId = (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!.messageId;
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({
    outboxId: id,
    messageId,
    fromAddress: "pledge@cleanrivers.example.org",
    toAddress: "sam.supporter@example.net",
    replyTo: null,
    subject: "Confirm your message to the candidates in Fenhallow",
    deliveredAt: now.toISOString(),
  });
  expect(stored[0]!.textBody).toContain("http://localhost:3000/asks/confirm/abc123");
  expect(stored[0]!.raw).toContain("From: Clean Rivers Pledge <pledge@cleanrivers.example.org>\n");
  expect(stored[0]!.raw).toContain("To: Sam Supporter <sam.supporter@example.net>\n");
  expect(stored[0]!.raw).toContain(`Message-ID: ${messageId}\n`);
  expect(stored[0]!.raw).toContain("Date: Mon, 10 Jun 2024 12:00:00 +0000\n");
  expect((await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]).toMatchObject({ status: "sent" });
});

test("the mailbox is not found from any other machine, or when the address is unknown", async () => {
  await saveTestCampaign();
  await queueConfirmation();
  await drainOutbox({ transport: createMailTransport(undefined), now });
  const [message] = await db.select({ id: mailbox.id }).from(mailbox);

  for (const context of [{}, { clientIp: "203.0.113.7" }, { clientIp: "::ffff:192.0.2.1" }, { clientIp: "10.0.0.1" }]) {
    const loads: (() => unknown)[] = [
      async () => mailboxLoader({ request: request("/outbox"), params: {}, context }),
      async () =>
        messageLoader({ request: request(`/outbox/${message!.id}`), params: { id: String(message!.id) }, context }),
    ];
    for (const load of loads) {
      const { thrown } = await callLoader(load);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
      expect((thrown as Response).headers.get("Cache-Control")).toBe("no-store");
    }
  }
});

test("from this machine the mailbox lists the mail newest first, with headers that keep its links private", async () => {
  await saveTestCampaign();
  await queueConfirmation({ at: now });
  await drainOutbox({ transport: createMailTransport(undefined), now });
  await writeTransaction(db, async () =>
    enqueueMail({ kind: "ask-reminder", toAddress: "lee@example.net", subject: "A reminder", textBody: "Hello", now }),
  );
  await drainOutbox({ transport: createMailTransport(undefined), now: new Date(now.getTime() + 1000) });

  for (const clientIp of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
    const { result } = await callLoader(async () =>
      mailboxLoader({ request: request("/outbox"), params: {}, context: { clientIp } }),
    );
    expect(result!.data.messages.map((m) => [m.toAddress, m.subject])).toEqual([
      ["lee@example.net", "A reminder"],
      ["sam.supporter@example.net", "Confirm your message to the candidates in Fenhallow"],
    ]);
    expect(new Headers(result!.init?.headers).get("Cache-Control")).toBe("no-store");
    expect(new Headers(result!.init?.headers).get("Referrer-Policy")).toBe("no-referrer");
  }
});

test("one message shows its headers and body", async () => {
  await saveTestCampaign();
  const id = await queueConfirmation();
  await drainOutbox({ transport: createMailTransport(undefined), now });
  const [stored] = await db.select({ id: mailbox.id }).from(mailbox);

  const { result } = await callLoader(async () =>
    messageLoader({
      request: request(`/outbox/${stored!.id}`),
      params: { id: String(stored!.id) },
      context: fromThisMachine,
    }),
  );

  expect(result!.data.message).toMatchObject({
    fromAddress: "pledge@cleanrivers.example.org",
    toAddress: "sam.supporter@example.net",
    subject: "Confirm your message to the candidates in Fenhallow",
    messageId: (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!.messageId,
  });
  expect(result!.data.message.textBody).toContain("http://localhost:3000/asks/confirm/abc123");
  expect(new Headers(result!.init?.headers).get("Referrer-Policy")).toBe("no-referrer");
  for (const id of ["999", "abc", "1.5", "-1"]) {
    const { thrown } = await callLoader(async () =>
      messageLoader({ request: request(`/outbox/${id}`), params: { id }, context: fromThisMachine }),
    );
    expect((thrown as Response).status).toBe(404);
  }
});

test("the mailbox page shows staff the outbox counts and failed mail with its error", async () => {
  await queueConfirmation();
  for (const m of await claimDueMail({ now, limit: 1 }))
    await markFailed({ id: m.id, error: "550 5.1.1 No such user" });
  await queueConfirmation();

  const { result } = await callLoader(async () =>
    mailboxLoader({ request: request("/outbox"), params: {}, context: fromThisMachine }),
  );

  expect(result!.data.counts).toEqual({ queued: 1, sending: 0, sent: 0, failed: 1, held: 0, cancelled: 0 });
  expect(result!.data.problems.map((p) => [p.status, p.lastError])).toEqual([["failed", "550 5.1.1 No such user"]]);
  expect(result!.data.pausedSince).toBeNull();
});

test("the mailbox page says when all sending is paused, and since when", async () => {
  await pauseSending({ actor: "ops@campaign.example.org", reason: null, now });

  const { result } = await callLoader(async () =>
    mailboxLoader({ request: request("/outbox"), params: {}, context: fromThisMachine }),
  );

  expect(result!.data.pausedSince).toMatch(/10 Jun 2024|13:00/);
});

test("every page knows mail is going to the local mailbox", async () => {
  expect((await rootLoader()).mailMode).toBe("local");
});

test("the worker runs the scheduled jobs, sends what is due, survives a failing job and stops cleanly", async () => {
  await saveTestCampaign();
  const ran: Date[] = [];
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  function failingJob() {
    throw new Error("digest job broke");
  }
  async function reminderJob(at: Date) {
    ran.push(at);
    // A job's mail goes out in the same tick.
    if (ran.length === 1) {
      await writeTransaction(db, async () =>
        enqueueMail({
          kind: "ask-reminder",
          toAddress: "lee@example.net",
          subject: "Reminder",
          textBody: "Hi",
          now: at,
        }),
      );
    }
  }
  await queueConfirmation({ at: new Date() });

  const worker = startMailWorker({
    jobs: [failingJob, reminderJob],
    intervalMs: 20,
    transport: createMailTransport(undefined),
  });
  await vi.waitFor(() => expect(ran.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
  await worker.stop();
  const ticks = ran.length;
  await new Promise((resolve) => setTimeout(resolve, 100));

  expect(ran.length).toBe(ticks);
  expect((await db.select({ to: mailbox.toAddress }).from(mailbox)).map((m) => m.to).sort()).toEqual([
    "lee@example.net",
    "sam.supporter@example.net",
  ]);
  expect(errors).toHaveBeenCalledWith("Scheduled job failingJob failed:", expect.any(Error));
  errors.mockRestore();
  log.mockRestore();
});

test("stopping the worker waits for the sends in flight and hands back the rest unused", async () => {
  await saveTestCampaign();
  for (let i = 0; i < 30; i++) {
    await writeTransaction(db, async () =>
      enqueueMail({
        kind: "ask-confirmation",
        toAddress: `p${i}@example.net`,
        subject: "s",
        textBody: "b",
        now: new Date(),
      }),
    );
  }
  const local = createMailTransport(undefined);
  let inFlight = 0;
  let started = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  // A slow server: every send waits until the test lets it through.
  const slow = {
    ...local,
    async deliver(args: Parameters<typeof local.deliver>[0]) {
      inFlight++;
      started++;
      await gate;
      await local.deliver(args);
      inFlight--;
    },
  };
  const log = vi.spyOn(console, "log").mockImplementation(() => {});

  const worker = startMailWorker({ intervalMs: 10_000, transport: slow, concurrency: 4 });
  await vi.waitFor(() => expect(started).toBe(4));
  const stopped = worker.stop();
  release();
  await stopped;
  log.mockRestore();

  expect(inFlight).toBe(0);
  const statuses = await db.select({ status: outbox.status, attempts: outbox.attempts }).from(outbox);
  expect(statuses.filter((s) => s.status === "sent")).toHaveLength(4);
  expect(statuses.filter((s) => s.status === "queued" && s.attempts === 0)).toHaveLength(26);
});

test("deleting a mail from the outbox (as an expired ask's are) deletes its local copy", async () => {
  await saveTestCampaign();
  const kept = await queueConfirmation();
  const deleted = await queueConfirmation();
  await drainOutbox({ transport: createMailTransport(undefined), now });

  await writeTransaction(db, () => db.delete(outbox).where(eq(outbox.id, deleted)));

  expect(await db.select({ outboxId: mailbox.outboxId }).from(mailbox)).toEqual([{ outboxId: kept }]);
});
