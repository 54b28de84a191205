// `npm run pledge:record`, as staff run it: the real script in its own
// process, against this test file's database, checked through the tables it
// writes (the pledge, its history and the audit log) and what it prints.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { asc, eq } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { writeTransaction } from "#db/index";
import { auditLog, candidacies, outbox, pledges } from "#db/schema";
import { findCandidatePage } from "~/models/candidacy.server";
import { issueSigningLink, recordPledgeFromLink } from "~/models/signing-link.server";
import { db } from "~/utils/db.server";
import { pledgeHistoryOf, snapshotDatabase } from "../db";
import { buildFourPoints, insertCampaign, insertCandidacy, insertConstituency, insertParty } from "../factories";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const evidence = "https://example.org/brackenby-hustings-2024-06-18";

// Each run starts Node and loads the app through tsx: seconds, not milliseconds, on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

/** A four-point campaign and two candidates with published emails in one seat. */
async function setUp() {
  const { points } = await insertCampaign({ points: buildFourPoints() });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const ruth = await insertCandidacy({ constituency: seat, name: "Ruth Adeyemi", email: "ruth.adeyemi@example.net" });
  const libDem = await insertParty({ id: "PP90", name: "Liberal Democrats" });
  const felix = await insertCandidacy({
    constituency: seat,
    partyId: libDem.id,
    name: "Felix Garrowby",
    email: "felix@example.net",
  });
  return { points, ruth, felix };
}

/** Runs the script as `npm run pledge:record -- …` does (tsx), on this test file's DATABASE_PATH. */
function pledgeRecord(...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/pledge-record.ts", ...args],
      { cwd: repoDir, env: process.env, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** The arguments staff give for a pledge made at a hustings: points 1 to 3 signed, 4 declined. */
const hustingsArgs = (personId: string) => [
  "--person",
  personId,
  "--sign",
  "1,2,3",
  "--decline",
  "4",
  "--evidence",
  evidence,
  "--note",
  "Said so at the hustings",
  "--by",
  "Priya Shah",
];

async function auditOf({ candidacyId, personId }: { candidacyId: number; personId: string }) {
  return await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.subject, `candidacy:${candidacyId} person:${personId}`))
    .orderBy(asc(auditLog.id));
}

test("staff record a pledge made elsewhere: marked 'recorded by the campaign' with its evidence, in the history and the audit log", async () => {
  const { ruth, points } = await setUp();
  const run = await pledgeRecord(...hustingsArgs(ruth.personId), "--statement", "Refugees are welcome here.");
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe("Recorded, and written to the audit log.\n");
  expect(run.code).toBe(0);

  expect((await db.select().from(pledges).where(eq(pledges.candidacyId, ruth.id)).limit(1))[0]).toMatchObject({
    statement: "Refugees are welcome here.",
    trustMark: "recorded-by-campaign",
    evidenceUrl: evidence,
  });
  const history = await pledgeHistoryOf(ruth.id);
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({
    answers: Object.fromEntries(points.map((p, i) => [String(p.id), i < 3 ? "signed" : "declined"])),
    statement: "Refugees are welcome here.",
    trustMark: "recorded-by-campaign",
    evidenceUrl: evidence,
    note: "Said so at the hustings",
    recordedBy: "Priya Shah",
  });
  const audit = await auditOf({ candidacyId: ruth.id, personId: ruth.personId });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({
    actor: "Priya Shah",
    action: "pledge.record",
    details: {
      answers: Object.fromEntries(points.map((p, i) => [String(p.id), i < 3 ? "signed" : "declined"])),
      statement: "Refugees are welcome here.",
      evidenceUrl: evidence,
      note: "Said so at the hustings",
      changed: true,
    },
  });
  expect(Date.now() - Date.parse(audit[0]!.createdAt)).toBeLessThan(60_000);
  // The candidate did not answer through their link: no "you signed" mail goes to them.
  expect(await db.select().from(outbox).where(eq(outbox.candidacyId, ruth.id))).toEqual([]);

  const page = await findCandidatePage({ personId: ruth.personId });
  expect(page?.trustMark).toBe("recorded-by-campaign");
  expect(page?.evidenceUrl).toBe(evidence);
  expect(page?.points.map((p) => p.answer)).toEqual(["signed", "signed", "signed", "declined"]);
});

test("recording the same pledge again changes nothing but is still logged as an attempt", async () => {
  const { ruth } = await setUp();
  expect((await pledgeRecord(...hustingsArgs(ruth.personId))).code).toBe(0);
  const again = await pledgeRecord(...hustingsArgs(ruth.personId));
  expect(again.code).toBe(0);
  expect(again.stdout).toBe("No change: the same answers were already recorded.\n");
  expect(await pledgeHistoryOf(ruth.id)).toHaveLength(1);
  expect((await auditOf({ candidacyId: ruth.id, personId: ruth.personId })).map((a) => a.details.changed)).toEqual([
    true,
    false,
  ]);
});

test("a pledge verified by the candidate's own link is never overwritten by a staff record", async () => {
  const { ruth, points } = await setUp();
  const link = (await issueSigningLink({ candidacyId: ruth.id, now: new Date() }))!;
  const token = link.url.split("/pledge/sign/")[1]!;
  await recordPledgeFromLink({ token, answers: { [points[0]!.id]: "declined" }, statement: null, now: new Date() });
  const before = await snapshotDatabase();

  const run = await pledgeRecord(...hustingsArgs(ruth.personId));
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    `Person ${ruth.personId} has already answered through their own signing link; that is not overwritten.\n`,
  );
  expect(await snapshotDatabase()).toEqual(before);
  expect((await findCandidatePage({ personId: ruth.personId }))?.trustMark).toBe("verified-by-email");
});

test("a candidate whose pledge was recorded by the campaign can confirm it through their link, which marks it verified", async () => {
  const { ruth, points } = await setUp();
  expect((await pledgeRecord(...hustingsArgs(ruth.personId))).code).toBe(0);
  const link = (await issueSigningLink({ candidacyId: ruth.id, now: new Date() }))!;
  const answers = Object.fromEntries(points.map((p, i) => [p.id, i < 3 ? "signed" : "declined"] as const));
  // The same answers, but now from the candidate: a new entry, with the stronger mark.
  expect(
    await recordPledgeFromLink({
      token: link.url.split("/pledge/sign/")[1]!,
      answers,
      statement: null,
      now: new Date(),
    }),
  ).toMatchObject({
    changed: true,
  });
  expect((await pledgeHistoryOf(ruth.id)).map((h) => [h.trustMark, h.recordedBy, h.evidenceUrl])).toEqual([
    ["recorded-by-campaign", "Priya Shah", evidence],
    ["verified-by-email", "candidate", null],
  ]);
  expect((await findCandidatePage({ personId: ruth.personId }))?.history.map((h) => h.trustMark)).toEqual([
    "verified-by-email",
    "recorded-by-campaign",
  ]);
});

test("bad arguments are refused with the reason and the usage, and change nothing", async () => {
  const { ruth } = await setUp();
  const ruthArgs = hustingsArgs(ruth.personId);
  const before = await snapshotDatabase();
  const without = (flag: string) => {
    const i = ruthArgs.indexOf(flag);
    return [...ruthArgs.slice(0, i), ...ruthArgs.slice(i + 2)];
  };
  const replaced = (flag: string, value: string) => ruthArgs.map((a, i) => (ruthArgs[i - 1] === flag ? value : a));
  const usage = "Usage: npm run pledge:record --";
  // [arguments, exit code, what stderr says, whether it shows the usage]
  const cases: [string[], number, string, boolean][] = [
    [without("--evidence"), 2, "--evidence: ", true],
    [without("--by"), 2, "--by: ", true],
    [
      replaced("--evidence", "javascript:alert(1)"),
      2,
      "--evidence: must be a web address starting http:// or https://",
      true,
    ],
    [replaced("--person", "ruth"), 2, "--person: must be a Democracy Club person id (digits)", true],
    [replaced("--sign", "1 2"), 2, "--sign: must be point numbers separated by commas, like 1,2,4", true],
    [[...ruthArgs, "--statement", "x".repeat(1001)], 2, "--statement: must be 1000 characters or fewer", true],
    [
      [...ruthArgs, "--election", "2024"],
      2,
      "--election: must be a Democracy Club election id such as parl.2024-07-04",
      true,
    ],
    [[...ruthArgs, "--unknown", "x"], 2, "npm run pledge:record: Unknown option '--unknown'", false],
    [
      without("--sign").filter((a, i, all) => a !== "--decline" && all[i - 1] !== "--decline"),
      2,
      "Give at least one of --sign and --decline.",
      true,
    ],
    [replaced("--sign", "5"), 2, "There is no point 5: the campaign has points 1 to 4.", false],
    [replaced("--decline", "3"), 2, "Point 3 is both signed and declined.", false],
    [replaced("--person", "123456789"), 1, "No candidate with person id 123456789 stands in parl.2024-07-04.", false],
  ];
  // Two at a time: each run starts Node and loads the app.
  const runs: Awaited<ReturnType<typeof pledgeRecord>>[] = [];
  for (let i = 0; i < cases.length; i += 2) {
    runs.push(...(await Promise.all(cases.slice(i, i + 2).map(([args]) => pledgeRecord(...args)))));
  }
  for (const [i, [args, code, message, showsUsage]] of cases.entries()) {
    const run = runs[i]!;
    expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code, stdout: "" });
    expect(run.stderr).toContain(message);
    expect(run.stderr.includes(usage)).toBe(showsUsage);
  }
  expect(await snapshotDatabase()).toEqual(before);
}, 180_000);

test("a withdrawn candidate's pledge cannot be recorded", async () => {
  const { felix } = await setUp();
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, felix.id)),
  );
  const before = await snapshotDatabase();
  const run = await pledgeRecord(
    "--person",
    felix.personId,
    "--sign",
    "1",
    "--evidence",
    evidence,
    "--note",
    "A leaflet",
    "--by",
    "Priya Shah",
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`Person ${felix.personId} has withdrawn; their pledge cannot be recorded.\n`);
  expect(await snapshotDatabase()).toEqual(before);
});

test("the audit trail of staff records cannot be edited or deleted", async () => {
  const { ruth } = await setUp();
  expect((await pledgeRecord(...hustingsArgs(ruth.personId))).code).toBe(0);
  const [entry] = await auditOf({ candidacyId: ruth.id, personId: ruth.personId });
  await expect(
    writeTransaction(db, () => db.update(auditLog).set({ actor: "Someone Else" }).where(eq(auditLog.id, entry!.id))),
  ).rejects.toThrow("audit_log is append-only: rows cannot be updated");
  await expect(writeTransaction(db, () => db.delete(auditLog).where(eq(auditLog.id, entry!.id)))).rejects.toThrow(
    "audit_log is append-only: rows cannot be deleted",
  );
  expect(await auditOf({ candidacyId: ruth.id, personId: ruth.personId })).toEqual([entry]);
});
