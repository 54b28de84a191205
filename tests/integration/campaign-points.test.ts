// Adding, removing and reordering the campaign's points. The console names
// each point by its id; campaign.json (no ids) by its position. A removed
// point is retired, never deleted: its answers and history stay, but it no
// longer counts for anyone's status. Once candidates have answered, adding or
// removing a point changes who has signed every point, so it needs the same
// confirmation as new words for an answered point.
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, pledgeHistory, pledgePointAnswers, pledgePointVersions, pledgePoints } from "#db/schema";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { ImportFailed } from "~/importers/problems";
import { findCampaign, saveCampaign, UnknownPoint } from "~/models/campaign.server";
import { findCandidatePage } from "~/models/candidacy.server";
import { listCandidacyStatuses } from "~/models/pledge-status.server";
import { findCandidateForStaff } from "~/models/staff-candidates.server";
import { db } from "~/utils/db.server";
import {
  buildCampaignSettings,
  buildFourPoints,
  insertCandidacy,
  insertPledgeByCampaign,
  writeInputFile,
} from "../factories";

const now = new Date("2024-06-10T12:00:00.000Z");
const later = new Date("2024-06-11T09:30:00.000Z");
const admin = "admin@campaign.example.org";

async function fourPointCampaign() {
  const settings = buildCampaignSettings({ points: buildFourPoints() });
  await saveCampaign({ settings, savedBy: "npm run campaign", now });
  return settings;
}

/** Today's points as the console posts them: each with its id, in order. */
async function consolePoints() {
  return (await findCampaign())!.points.map((p) => ({ id: p.id, title: p.title, body: p.body }));
}

async function saveByConsole(points: { id?: number; title: string; body: string }[], confirmPointChanges = false) {
  return saveCampaign({
    settings: buildCampaignSettings({ points }),
    matchPoints: "by-id",
    savedBy: admin,
    confirmPointChanges,
    now: later,
  });
}

async function titles() {
  return (await findCampaign())!.points.map((p) => `${p.position}. ${p.title}`);
}

async function statusOf(personId: string) {
  return (await listCandidacyStatuses()).find((row) => row.personId === personId)?.status;
}

async function lastAudit() {
  return (await db.select().from(auditLog).where(eq(auditLog.action, "settings.save"))).at(-1)!;
}

test("removing point 2 of 4 in the console retires it; points 3 and 4 become 2 and 3 with their words and versions", async () => {
  await fourPointCampaign();
  const [one, two, three, four] = await consolePoints();
  expect(await saveByConsole([one!, three!, four!])).toMatchObject({ outcome: "saved", changed: ["points.removed"] });
  expect(await titles()).toEqual(["1. Point one.", "2. Point three.", "3. Point four."]);
  expect((await findCampaign())!.points.map((p) => [p.id, p.version])).toEqual([
    [one!.id, 1],
    [three!.id, 1],
    [four!.id, 1],
  ]);
  // Retired, not deleted: the row and its words are kept.
  expect(
    (
      await db
        .select({ retiredAt: pledgePoints.retiredAt })
        .from(pledgePoints)
        .where(eq(pledgePoints.id, two!.id))
        .limit(1)
    )[0],
  ).toEqual({ retiredAt: later.toISOString() });
  expect(await db.select().from(pledgePointVersions)).toHaveLength(4);
  expect((await lastAudit()).details).toMatchObject({ pointsRemoved: [{ position: 2, title: "Point two." }] });
});

test("the console reorders points by id without new versions, and adds a point at the position given", async () => {
  await fourPointCampaign();
  const [one, two, three, four] = await consolePoints();
  expect(await saveByConsole([two!, one!, three!, four!])).toMatchObject({
    outcome: "saved",
    changed: ["points.order"],
  });
  expect(await titles()).toEqual(["1. Point two.", "2. Point one.", "3. Point three.", "4. Point four."]);
  expect((await findCampaign())!.points.every((p) => p.version === 1)).toBe(true);

  const added = { title: "Point five.", body: "What point Five asks." };
  expect(
    await saveByConsole([...(await consolePoints()).slice(0, 2), added, ...(await consolePoints()).slice(2)]),
  ).toMatchObject({
    outcome: "saved",
    changed: ["points.3.added"],
  });
  expect(await titles()).toEqual([
    "1. Point two.",
    "2. Point one.",
    "3. Point five.",
    "4. Point three.",
    "5. Point four.",
  ]);
  expect((await findCampaign())!.points[2]).toMatchObject({ version: 1 });
});

test("a point the console names that is not one of the campaign's (removed meanwhile) is refused, nothing written", async () => {
  await fourPointCampaign();
  const [one, two, three, four] = await consolePoints();
  await saveByConsole([one!, three!, four!]);
  await expect(saveByConsole([one!, two!, three!, four!])).rejects.toThrow(UnknownPoint);
  await expect(saveByConsole([one!, one!, three!])).rejects.toThrow(UnknownPoint);
  expect(await titles()).toEqual(["1. Point one.", "2. Point three.", "3. Point four."]);
});

test("removing trailing points from campaign.json removes them: they no longer count toward signed every point", async () => {
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const four = writeInputFile("campaign.json", JSON.stringify(buildCampaignSettings({ points: buildFourPoints() })));
  await loadCampaignSettings({ path: four, now });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3], now });
  expect(await statusOf(ruth.personId)).toBe("signed-some");

  const three = writeInputFile(
    "campaign.json",
    JSON.stringify(buildCampaignSettings({ points: buildFourPoints().slice(0, 3) })),
  );
  await loadCampaignSettings({ path: three, confirmPointChanges: true, now: later });
  expect(await titles()).toEqual(["1. Point one.", "2. Point two.", "3. Point three."]);
  expect(await statusOf(ruth.personId)).toBe("signed-all");
  expect((await findCandidatePage({ personId: ruth.personId }))!.pledge).toMatchObject({
    signed: 3,
    pointCount: 3,
    signedEveryPoint: true,
  });
});

test("once candidates have answered, adding or removing a point needs confirmation, saying whose status changes", async () => {
  await fourPointCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const sam = await insertCandidacy({ name: "Sam Okafor" });
  const ali = await insertCandidacy({ name: "Ali Hassan" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3, 4], now });
  await insertPledgeByCampaign({ personId: sam.personId, sign: [1, 2, 3], decline: [4], now });
  await insertPledgeByCampaign({ personId: ali.personId, decline: [4], now });
  const [one, two, three, four] = await consolePoints();
  const versionsBefore = await db.select().from(pledgePointVersions);

  const added = { title: "Point five.", body: "What point Five asks." };
  expect(await saveByConsole([one!, two!, three!, four!, added])).toEqual({
    outcome: "needs-confirmation",
    answered: { points: [], candidates: 0 },
    added: 1,
    removed: [],
    statusChanges: [{ from: "signed-all", to: "signed-some", candidates: 1 }],
    setChangedAfterAnswers: true,
  });
  expect(await saveByConsole([one!, two!, three!])).toMatchObject({
    outcome: "needs-confirmation",
    removed: [{ position: 4, title: "Point four." }],
    statusChanges: [
      { from: "signed-some", to: "signed-all", candidates: 1 },
      { from: "declined", to: "no-answer", candidates: 1 },
    ],
  });
  expect(await titles()).toHaveLength(4);
  expect(await db.select().from(pledgePointVersions)).toEqual(versionsBefore);
  expect(await statusOf(ruth.personId)).toBe("signed-all");

  expect(await saveByConsole([one!, two!, three!], true)).toMatchObject({ outcome: "saved" });
  expect((await lastAudit()).details).toMatchObject({
    changed: ["points.removed"],
    statusChanges: [
      { from: "signed-some", to: "signed-all", candidates: 1 },
      { from: "declined", to: "no-answer", candidates: 1 },
    ],
  });
  expect([await statusOf(ruth.personId), await statusOf(sam.personId), await statusOf(ali.personId)]).toEqual([
    "signed-all",
    "signed-all",
    "no-answer",
  ]);
});

test("before anyone has answered, points are added and removed without confirmation", async () => {
  await fourPointCampaign();
  const [one, two] = await consolePoints();
  expect(await saveByConsole([one!, two!, { title: "A new point.", body: "It asks this." }])).toMatchObject({
    outcome: "saved",
    changed: ["points.3.added", "points.removed"],
  });
  expect(await titles()).toEqual(["1. Point one.", "2. Point two.", "3. A new point."]);
});

test("npm run campaign refuses to add or remove points after answers without --confirm-point-changes", async () => {
  const path = writeInputFile("campaign.json", JSON.stringify(buildCampaignSettings({ points: buildFourPoints() })));
  await loadCampaignSettings({ path, now });
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3, 4], now });
  const five = writeInputFile(
    "campaign.json",
    JSON.stringify(
      buildCampaignSettings({
        points: [...buildFourPoints(), { title: "Point five.", body: "What point Five asks." }],
      }),
    ),
  );
  let problems: unknown;
  try {
    await loadCampaignSettings({ path: five, now: later });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFailed);
    problems = (error as ImportFailed).problems;
  }
  expect(problems).toEqual([
    {
      file: five,
      column: "points",
      message:
        "adding 1 point after candidates have answered changes who has signed every point (1 candidate shown as “Signed every point” will show as “Signed some points”); this needs --confirm-point-changes",
    },
  ]);
  expect(await titles()).toHaveLength(4);
  await loadCampaignSettings({ path: five, confirmPointChanges: true, now: later });
  expect(await titles()).toHaveLength(5);
  expect(await statusOf(ruth.personId)).toBe("signed-some");
});

test("a retired point's answers and history stay; it counts for no status, and answering again adds no history", async () => {
  await fourPointCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3], decline: [4], now });
  const [one, two, three, four] = await consolePoints();
  await saveByConsole([one!, two!, three!], true);

  const answers = await db
    .select({ pointId: pledgePointAnswers.pointId, answer: pledgePointAnswers.answer })
    .from(pledgePointAnswers)
    .where(eq(pledgePointAnswers.candidacyId, ruth.id))
    .orderBy(asc(pledgePointAnswers.pointId));
  expect(answers).toContainEqual({ pointId: four!.id, answer: "declined" });
  expect(await statusOf(ruth.personId)).toBe("signed-all");
  expect((await findCandidatePage({ personId: ruth.personId }))!.points.map((p) => p.title)).toEqual([
    "Point one.",
    "Point two.",
    "Point three.",
  ]);

  // Both candidate pages show the one history entry against the four points it answered, the fourth as removed.
  const shown = (points: { number: number | null; title: string; answer: string | null }[]) =>
    points.map((p) => [p.number, p.title, p.answer]);
  const expected = [
    [1, "Point one.", "signed"],
    [2, "Point two.", "signed"],
    [3, "Point three.", "signed"],
    [null, "Point four.", "declined"],
  ];
  expect(shown((await findCandidatePage({ personId: ruth.personId }))!.history[0]!.points)).toEqual(expected);
  expect(shown((await findCandidateForStaff({ personId: ruth.personId }))!.history[0]!.points)).toEqual(expected);

  // The same answers to today's points again are no change.
  expect((await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2, 3], now: later })).changed).toBe(false);
  expect(await db.select().from(pledgeHistory).where(eq(pledgeHistory.candidacyId, ruth.id))).toHaveLength(1);
});
