// "Pause all sending": while paused the worker claims nothing, the mail stays
// queued, and it goes out once sending resumes; both changes are audited.
import { expect, test } from "vitest";
import { auditLog } from "#db/schema";
import { countOutboxByStatus } from "~/models/outbox.server";
import { findSendingPause, pauseSending, resumeSending } from "~/models/sending-pause.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { db } from "~/utils/db.server";
import { insertQueuedMail } from "../factories";
import { saveTestCampaign } from "../mail-server";

const now = new Date("2024-06-10T12:00:00.000Z");

async function queueMail() {
  return insertQueuedMail({ now });
}

test("while sending is paused the worker sends nothing, and it sends the waiting mail once resumed", async () => {
  await saveTestCampaign({ name: "Clean Rivers Pledge", fromEmail: "pledge@cleanrivers.example.org" });
  await queueMail();
  await queueMail();

  expect(await pauseSending({ actor: "ops@campaign.example.org", reason: "Wrong wording in the ask", now })).toEqual({
    outcome: "paused",
  });
  expect(await findSendingPause()).toMatchObject({ pausedAt: now.toISOString(), reason: "Wrong wording in the ask" });

  const paused = await drainOutbox({ transport: createMailTransport(undefined), now });
  expect(paused.sent).toBe(0);
  expect(await countOutboxByStatus()).toMatchObject({ queued: 2, sending: 0, sent: 0 });

  expect(await resumeSending({ actor: "ops@campaign.example.org", now })).toEqual({ outcome: "resumed" });
  expect(await findSendingPause()).toBeNull();
  const resumed = await drainOutbox({ transport: createMailTransport(undefined), now });
  expect(resumed.sent).toBe(2);
  expect(await countOutboxByStatus()).toMatchObject({ queued: 0, sent: 2 });
});

test("pausing twice or resuming when running changes nothing, and each real change is in the audit log once", async () => {
  await pauseSending({ actor: "ops@campaign.example.org", reason: null, now });
  expect(await pauseSending({ actor: "someone@campaign.example.org", reason: "again", now })).toEqual({
    outcome: "already-paused",
  });
  expect(await findSendingPause()).toMatchObject({ reason: null });
  await resumeSending({ actor: "ops@campaign.example.org", now });
  expect(await resumeSending({ actor: "ops@campaign.example.org", now })).toEqual({ outcome: "not-paused" });

  const entries = await db.select().from(auditLog);
  expect(entries.map((e) => [e.actor, e.action])).toEqual([
    ["ops@campaign.example.org", "sending.pause"],
    ["ops@campaign.example.org", "sending.resume"],
  ]);
});
