// Admins download the supporters who asked for campaign updates: who, from
// where, and the consent they gave, as a spreadsheet-safe CSV. "New" picks up
// where the last export stopped; every export is recorded and audited by count.
import { writeTransaction } from "#db/index";
import { parse } from "csv-parse/sync";
import { eq, ne } from "drizzle-orm";
import { expect, test } from "vitest";
import { asks, auditLog, supporterExports } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { releaseAsk } from "~/models/review.server";
import { countSupportersToExport, exportSupporters } from "~/models/supporter-export.server";
import { defaultConsentWordings } from "~/utils/consent";
import { db } from "~/utils/db.server";
import { buildAsk, insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { insertStaffAccount } from "../staff";
import { DAY, HOUR } from "../time";

const t0 = new Date("2024-06-20T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const admin = "admin@campaign.example.org";
const BRACKENBY = "E14009904";
let candidateId = 0;

const header = [
  "name",
  "email",
  "postcode",
  "constituency",
  "asked_on",
  "consent_wording",
  "consent_version",
  "consented_at",
];

/** The campaign and one candidate in Brackenby Vale, whom every ask here goes to. */
async function setUp() {
  await insertCampaign();
  const seat = await insertConstituency({ gssCode: BRACKENBY, name: "Brackenby Vale" });
  candidateId = (await insertCandidacy({ constituency: seat })).id;
}

async function confirmedAsk({
  name,
  email,
  wantsUpdates = true,
  now,
}: {
  name: string;
  email: string;
  wantsUpdates?: boolean;
  now: Date;
}) {
  return insertConfirmedAsk({
    constituencyCode: BRACKENBY,
    candidacyIds: [candidateId],
    name,
    email,
    postcode: "ZZ4 1AA",
    wantsUpdates,
    now,
  });
}

function records(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

async function exportNow(scope: "all" | "new", now: Date) {
  return exportSupporters({ scope, accountId: null, actor: admin, now });
}

test("the export lists each opted-in supporter, oldest confirmation first, with the consent they gave", async () => {
  await setUp();
  await confirmedAsk({ name: "Bea Carter", email: "bea@example.org", now: at(2 * HOUR) });
  await confirmedAsk({ name: "Rajan Nair", email: "rajan@example.org", now: at(HOUR) });

  const result = await exportNow("all", at(DAY));
  expect(result.rows).toBe(2);
  expect(result.filename).toBe("supporters-2024-06-21.csv");
  expect(result.csv.split("\r\n")[0]).toBe(header.join(","));
  expect(records(result.csv)).toEqual([
    {
      name: "Rajan Nair",
      email: "rajan@example.org",
      postcode: "ZZ4 1AA",
      constituency: "Brackenby Vale",
      asked_on: at(HOUR).toISOString(),
      consent_wording: "Email me campaign updates, including when my candidates sign",
      consent_version: "updates-v1",
      consented_at: at(HOUR).toISOString(),
    },
    expect.objectContaining({ name: "Bea Carter", email: "bea@example.org", asked_on: at(2 * HOUR).toISOString() }),
  ]);
});

test("the consent wording in the export is the one the ask form shows", async () => {
  await setUp();
  await confirmedAsk({ name: "Rajan Nair", email: "rajan@example.org", now: t0 });

  const [row] = records((await exportNow("all", at(HOUR))).csv);
  expect(row?.consent_wording).toBe(defaultConsentWordings.updates);
  expect(row?.consent_version).toBe("updates-v1");
});

test("supporters who did not tick the box, and asks never confirmed, are left out", async () => {
  await setUp();
  await confirmedAsk({ name: "Opted In", email: "in@example.org", now: t0 });
  await confirmedAsk({ name: "Not Opted", email: "out@example.org", wantsUpdates: false, now: t0 });
  await submitAsk({
    ask: buildAsk({
      constituencyCode: BRACKENBY,
      candidacyIds: [candidateId],
      name: "Never Confirmed",
      email: "pending@example.org",
      wantsUpdates: true,
    }),
    clientIp: "198.51.100.9",
    now: t0,
  });
  // Held for review: confirmed by the supporter, but not (yet) a confirmed ask.
  await confirmedAsk({ name: "Held Back", email: "held@example.org", now: t0 });
  await writeTransaction(db, () => db.update(asks).set({ status: "held" }).where(eq(asks.email, "held@example.org")));

  const result = await exportNow("all", at(HOUR));
  expect(records(result.csv).map((r) => r.email)).toEqual(["in@example.org"]);
  expect(result.rows).toBe(1);
});

test('"new" exports only those confirmed since the last export, and an empty one leaves the next where it was', async () => {
  await setUp();
  await confirmedAsk({ name: "First One", email: "first@example.org", now: at(HOUR) });
  await confirmedAsk({ name: "Second One", email: "second@example.org", now: at(2 * HOUR) });

  const first = await exportNow("new", at(3 * HOUR));
  expect(records(first.csv).map((r) => r.email)).toEqual(["first@example.org", "second@example.org"]);
  expect(first.filename).toBe("supporters-new-2024-06-20.csv");

  const empty = await exportNow("new", at(4 * HOUR));
  expect(empty.rows).toBe(0);
  expect(empty.csv).toBe(`${header.join(",")}\r\n`);

  await confirmedAsk({ name: "Third One", email: "third@example.org", now: at(5 * HOUR) });
  const second = await exportNow("new", at(6 * HOUR));
  expect(records(second.csv).map((r) => r.email)).toEqual(["third@example.org"]);

  // "all" is everything, whatever was exported before, and moves "new" on too.
  const all = await exportNow("all", at(7 * HOUR));
  expect(records(all.csv).map((r) => r.email)).toEqual([
    "first@example.org",
    "second@example.org",
    "third@example.org",
  ]);
  await confirmedAsk({ name: "Fourth One", email: "fourth@example.org", now: at(8 * HOUR) });
  expect(records((await exportNow("new", at(9 * HOUR))).csv).map((r) => r.email)).toEqual(["fourth@example.org"]);

  expect(
    await db
      .select({ scope: supporterExports.scope, rows: supporterExports.rows, upTo: supporterExports.upTo })
      .from(supporterExports),
  ).toEqual([
    { scope: "new", rows: 2, upTo: at(2 * HOUR).toISOString() },
    { scope: "new", rows: 0, upTo: at(2 * HOUR).toISOString() },
    { scope: "new", rows: 1, upTo: at(5 * HOUR).toISOString() },
    { scope: "all", rows: 3, upTo: at(5 * HOUR).toISOString() },
    { scope: "new", rows: 1, upTo: at(8 * HOUR).toISOString() },
  ]);
});

test('the first "new" export, with none before it, is everyone', async () => {
  await setUp();
  await confirmedAsk({ name: "Rajan Nair", email: "rajan@example.org", now: t0 });

  expect((await exportNow("new", at(HOUR))).rows).toBe(1);
});

test("a name that a spreadsheet would run as a formula is made inert", async () => {
  await setUp();
  await confirmedAsk({ name: '=HYPERLINK("http://evil.example","Click")', email: "eve@example.org", now: t0 });

  const [row] = records((await exportNow("all", at(HOUR))).csv);
  expect(row?.name).toBe(`'=HYPERLINK("http://evil.example","Click")`);
});

test("each export is recorded against the account and audited with its scope and count, never an email or name", async () => {
  await setUp();
  const account = await insertStaffAccount({ email: admin, role: "admin" });
  await confirmedAsk({ name: "Rajan Nair", email: "rajan@example.org", now: t0 });
  await confirmedAsk({ name: "Bea Carter", email: "bea@example.org", now: t0 });

  await exportSupporters({ scope: "all", accountId: account.id, actor: admin, now: at(HOUR) });

  expect(await db.select().from(supporterExports)).toEqual([
    expect.objectContaining({ accountId: account.id, scope: "all", rows: 2, createdAt: at(HOUR).toISOString() }),
  ]);
  // The test's campaign set-up is audited too.
  const entries = await db.select().from(auditLog).where(ne(auditLog.actor, "npm run campaign"));
  expect(entries.map((e) => [e.actor, e.action, e.subject, e.details, e.createdAt])).toEqual([
    [admin, "supporters.export", "supporters", { scope: "all", rows: 2 }, at(HOUR).toISOString()],
  ]);
  expect(JSON.stringify(entries)).not.toMatch(/rajan|bea|Nair|Carter/i);
});

test("the counts say how many a download would hold, all or new since the last one, and when that was", async () => {
  await setUp();
  expect(await countSupportersToExport()).toEqual({ all: 0, new: 0, lastExportAt: null });
  await confirmedAsk({ name: "First One", email: "first@example.org", now: at(HOUR) });
  await confirmedAsk({ name: "Not Opted", email: "out@example.org", wantsUpdates: false, now: at(HOUR) });
  // Before any download, "new" is everyone.
  expect(await countSupportersToExport()).toEqual({ all: 1, new: 1, lastExportAt: null });

  await exportNow("all", at(2 * HOUR));
  expect(await countSupportersToExport()).toEqual({ all: 1, new: 0, lastExportAt: at(2 * HOUR).toISOString() });
  await confirmedAsk({ name: "Second One", email: "second@example.org", now: at(3 * HOUR) });
  const counts = await countSupportersToExport();
  expect(counts).toEqual({ all: 2, new: 1, lastExportAt: at(2 * HOUR).toISOString() });
  expect((await exportNow("new", at(4 * HOUR))).rows).toBe(counts.new);
});

test('an ask held for review and released after an export is in the next "new" export, once', async () => {
  await setUp();
  const reviewer = await insertStaffAccount({ role: "organiser" });
  // Held at confirmation (a disposable domain), before Rajan confirmed his.
  await confirmedAsk({ name: "Held Person", email: "held@mailinator.com", now: t0 });
  await confirmedAsk({ name: "Rajan Nair", email: "rajan@example.org", now: at(HOUR) });
  expect(records((await exportNow("all", at(2 * HOUR))).csv).map((r) => r.email)).toEqual(["rajan@example.org"]);
  const held = (await db.select().from(asks).where(eq(asks.email, "held@mailinator.com")).limit(1))[0]!;
  await releaseAsk({ askId: held.id, reviewer, now: at(3 * HOUR) });
  expect(records((await exportNow("new", at(4 * HOUR))).csv).map((r) => r.email)).toEqual(["held@mailinator.com"]);
  expect(records((await exportNow("new", at(5 * HOUR))).csv)).toEqual([]);
});
