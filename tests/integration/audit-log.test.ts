// Reading the audit log in the staff console: newest first, a page at a time,
// by who, by what (one action or all of a kind), and by London calendar day.
import { expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { listAuditActions, listAuditActors, listAuditLog, recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { MINUTE } from "../time";

const ops = "ops@campaign.example.org";
const admin = "admin@campaign.example.org";

async function audit({
  actor = ops,
  action = "outbox.cancel",
  subject = "outbox:1",
  at,
}: {
  actor?: string;
  action?: string;
  subject?: string;
  at: string;
}) {
  await writeTransaction(db, async () => recordAudit({ actor, action, subject, details: {}, now: new Date(at) }));
}

const ids = (result: { rows: { subject: string }[] }) => result.rows.map((r) => r.subject);

test("the log lists the newest entry first, a page at a time, with how many there are", async () => {
  const t0 = new Date("2024-06-10T12:00:00.000Z").getTime();
  for (let i = 0; i < 5; i++) await audit({ subject: `outbox:${i}`, at: new Date(t0 + i * MINUTE).toISOString() });
  // Two in the same millisecond: the later one written is the newer.
  await audit({ subject: "outbox:5", at: new Date(t0 + 4 * MINUTE).toISOString() });

  const first = await listAuditLog({ page: 1, pageSize: 4 });
  expect(ids(first)).toEqual(["outbox:5", "outbox:4", "outbox:3", "outbox:2"]);
  expect(first).toMatchObject({ total: 6, page: 1, pageCount: 2 });
  expect(first.rows[0]).toEqual({
    id: expect.any(Number),
    actor: ops,
    action: "outbox.cancel",
    subject: "outbox:5",
    details: {},
    createdAt: "2024-06-10T12:04:00.000Z",
  });
  expect(ids(await listAuditLog({ page: 2, pageSize: 4 }))).toEqual(["outbox:1", "outbox:0"]);
  expect((await listAuditLog({ page: 7, pageSize: 4 })).page).toBe(2);
  expect(await listAuditLog({ page: 1 })).toMatchObject({ total: 6, pageCount: 1 });
});

test("an empty log is one empty page", async () => {
  expect(await listAuditLog({ page: 1 })).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
});

test("the log narrows to one actor, matched exactly", async () => {
  await audit({ actor: ops, subject: "a", at: "2024-06-10T12:00:00.000Z" });
  await audit({ actor: admin, subject: "b", at: "2024-06-10T12:01:00.000Z" });
  await audit({ actor: "ops@campaign.example.org.uk", subject: "c", at: "2024-06-10T12:02:00.000Z" });

  expect(ids(await listAuditLog({ actor: ops, page: 1 }))).toEqual(["a"]);
  expect((await listAuditLog({ actor: "OPS@campaign.example.org", page: 1 })).total).toBe(0);
});

test("an action is matched exactly, or as a prefix when it ends with a dot", async () => {
  await audit({ action: "outbox.cancel", subject: "a", at: "2024-06-10T12:00:00.000Z" });
  await audit({ action: "outbox.retry", subject: "b", at: "2024-06-10T12:01:00.000Z" });
  await audit({ action: "outboxes.purge", subject: "c", at: "2024-06-10T12:02:00.000Z" });
  await audit({ action: "outbox", subject: "d", at: "2024-06-10T12:03:00.000Z" });
  await audit({ action: "sending.pause", subject: "e", at: "2024-06-10T12:04:00.000Z" });

  expect(ids(await listAuditLog({ action: "outbox.retry", page: 1 }))).toEqual(["b"]);
  expect(ids(await listAuditLog({ action: "outbox.", page: 1 }))).toEqual(["b", "a"]);
  expect(ids(await listAuditLog({ action: "outbox", page: 1 }))).toEqual(["d"]);
  expect(ids(await listAuditLog({ action: "outbox.re", page: 1 }))).toEqual([]);
  expect(ids(await listAuditLog({ action: "sending.", actor: ops, page: 1 }))).toEqual(["e"]);
});

test("from and to are London calendar days, both included: in summer a day starts at 23:00 UTC the day before", async () => {
  await audit({ subject: "19th, 23:59 London", at: "2024-06-19T22:59:59.999Z" });
  await audit({ subject: "20th, 00:00 London", at: "2024-06-19T23:00:00.000Z" });
  await audit({ subject: "21st, 23:59 London", at: "2024-06-21T22:59:59.999Z" });
  await audit({ subject: "22nd, 00:00 London", at: "2024-06-21T23:00:00.000Z" });

  expect(ids(await listAuditLog({ from: "2024-06-20", to: "2024-06-21", page: 1 }))).toEqual([
    "21st, 23:59 London",
    "20th, 00:00 London",
  ]);
  expect(ids(await listAuditLog({ from: "2024-06-22", page: 1 }))).toEqual(["22nd, 00:00 London"]);
  expect(ids(await listAuditLog({ to: "2024-06-19", page: 1 }))).toEqual(["19th, 23:59 London"]);
  expect(ids(await listAuditLog({ from: "2024-06-21", to: "2024-06-21", page: 1 }))).toEqual(["21st, 23:59 London"]);
});

test("in winter a London day is the UTC day", async () => {
  await audit({ subject: "14th", at: "2024-01-14T23:59:59.999Z" });
  await audit({ subject: "15th", at: "2024-01-15T00:00:00.000Z" });

  expect(ids(await listAuditLog({ from: "2024-01-15", to: "2024-01-15", page: 1 }))).toEqual(["15th"]);
});

test("the filters offer every actor and every action in the log, once each, sorted", async () => {
  await audit({ actor: ops, action: "sending.pause", at: "2024-06-10T12:00:00.000Z" });
  await audit({ actor: admin, action: "outbox.retry", at: "2024-06-10T12:01:00.000Z" });
  await audit({ actor: ops, action: "outbox.cancel", at: "2024-06-10T12:02:00.000Z" });
  await audit({ actor: admin, action: "outbox.retry", at: "2024-06-10T12:03:00.000Z" });

  expect(await listAuditActors()).toEqual([admin, ops]);
  expect(await listAuditActions()).toEqual(["outbox.cancel", "outbox.retry", "sending.pause"]);
});
