// The campaign's settings as saved by the console and `npm run campaign`:
// every save kept as a version with who saved it, and the words of each point
// kept as versions so an answer always stands against the words answered.
import { spawnSync } from "node:child_process";
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, campaignSettingsVersions, pledgeHistory, pledgePointAnswers, pledgePointVersions } from "#db/schema";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { ImportFailed } from "~/importers/problems";
import { findCampaign, findSettingsVersion, listSettingsVersions, saveCampaign } from "~/models/campaign.server";
import { findCandidatePage } from "~/models/candidacy.server";
import { saveReviewRules } from "~/models/review.server";
import { db } from "~/utils/db.server";
import { buildCampaignSettings, insertCandidacy, insertPledgeByCampaign, writeInputFile } from "../factories";

const now = new Date("2024-06-10T12:00:00.000Z");
const later = new Date("2024-06-11T09:30:00.000Z");
const admin = "admin@campaign.example.org";

async function versionsOfPoint(pointId: number) {
  return await db
    .select({ version: pledgePointVersions.version, title: pledgePointVersions.title, body: pledgePointVersions.body })
    .from(pledgePointVersions)
    .where(eq(pledgePointVersions.pointId, pointId))
    .orderBy(asc(pledgePointVersions.version));
}

async function audited(action: string) {
  return await db.select().from(auditLog).where(eq(auditLog.action, action));
}

function withFirstPointReworded(settings = buildCampaignSettings()) {
  return {
    ...settings,
    points: [
      { title: "Slow the traffic near every school.", body: "I will back 20 mph limits." },
      ...settings.points.slice(1),
    ],
  };
}

test("the first save keeps a version of the whole settings, the first words of each point, and is audited", async () => {
  const settings = buildCampaignSettings();
  expect(await saveCampaign({ settings, savedBy: admin, now })).toEqual({
    outcome: "saved",
    changed: ["created"],
    versionId: expect.any(Number),
  });
  const [version] = await listSettingsVersions();
  expect(version).toEqual({ id: expect.any(Number), savedBy: admin, createdAt: now.toISOString() });
  expect((await findSettingsVersion({ id: version!.id }))!.settings).toEqual({
    ...settings,
    reviewRules: {},
    privacy: {},
    retention: {},
  });
  const campaign = (await findCampaign())!;
  expect(campaign.points.map((p) => p.version)).toEqual([1, 1]);
  expect(await versionsOfPoint(campaign.points[0]!.id)).toEqual([{ version: 1, ...settings.points[0] }]);
  expect(await audited("settings.save")).toMatchObject([
    { actor: admin, subject: "campaign", details: { changed: ["created"], version: version!.id } },
  ]);
});

test("saving the same settings again changes nothing and keeps no new version", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now });
  expect(await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now: later })).toEqual({
    outcome: "unchanged",
  });
  expect(await listSettingsVersions()).toHaveLength(1);
  expect(await audited("settings.save")).toHaveLength(1);
});

test("a later save is a new version, newest first, audited with the fields it changed", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: "npm run campaign", now });
  const result = await saveCampaign({
    settings: withFirstPointReworded(buildCampaignSettings({ name: "Safe Streets Pledge", askHourlyCap: 5 })),
    savedBy: admin,
    now: later,
  });
  expect(result).toMatchObject({
    outcome: "saved",
    changed: ["name", "askHourlyCap", "points.1.title", "points.1.body"],
  });
  expect((await listSettingsVersions()).map((v) => [v.savedBy, v.createdAt])).toEqual([
    [admin, later.toISOString()],
    ["npm run campaign", now.toISOString()],
  ]);
  expect((await audited("settings.save")).at(-1)!.details).toEqual({
    changed: ["name", "askHourlyCap", "points.1.title", "points.1.body"],
    version: (await listSettingsVersions())[0]!.id,
  });
  expect((await findSettingsVersion({ id: (await listSettingsVersions())[1]!.id }))!.settings).toMatchObject({
    name: "Quiet Streets Pledge",
  });
});

test("new words for a point nobody has answered become its next version, the earlier words kept", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now });
  await saveCampaign({ settings: withFirstPointReworded(), savedBy: admin, now: later });
  const [first, second] = (await findCampaign())!.points;
  expect([first!.version, second!.version]).toEqual([2, 1]);
  expect(first!.title).toBe("Slow the traffic near every school.");
  expect(await versionsOfPoint(first!.id)).toEqual([
    { version: 1, title: "Slow the traffic outside every school.", body: buildCampaignSettings().points[0]!.body },
    { version: 2, title: "Slow the traffic near every school.", body: "I will back 20 mph limits." },
  ]);
  expect(await versionsOfPoint(second!.id)).toHaveLength(1);
});

test("once candidates have answered a point, new words are refused without confirmation and nothing is written", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now });
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const sam = await insertCandidacy({ name: "Sam Okafor" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2], now });
  await insertPledgeByCampaign({ personId: sam.personId, decline: [1], now });

  const refused = await saveCampaign({
    settings: withFirstPointReworded(buildCampaignSettings({ name: "Renamed" })),
    savedBy: admin,
    now: later,
  });
  expect(refused).toEqual({
    outcome: "needs-confirmation",
    answered: {
      candidates: 2,
      points: [{ position: 1, title: "Slow the traffic outside every school.", answered: 2 }],
    },
    added: 0,
    removed: [],
    statusChanges: [],
    setChangedAfterAnswers: false,
  });
  expect(await findCampaign()).toMatchObject({ name: "Quiet Streets Pledge" });
  expect((await findCampaign())!.points[0]).toMatchObject({
    title: "Slow the traffic outside every school.",
    version: 1,
  });
  expect(await listSettingsVersions()).toHaveLength(1);
  expect(await audited("settings.save")).toHaveLength(1);

  // Words of a point nobody answered, and every other setting, need no confirmation.
  const untouched = buildCampaignSettings();
  expect(
    await saveCampaign({
      settings: { ...untouched, name: "Renamed", points: [untouched.points[0]!, untouched.points[1]!] },
      savedBy: admin,
      now: later,
    }),
  ).toMatchObject({ outcome: "saved", changed: ["name"] });
});

test("with confirmation the words change; the earlier answers keep the version they answered, new answers the new one", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now });
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const sam = await insertCandidacy({ name: "Sam Okafor" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2], now });

  expect(
    await saveCampaign({ settings: withFirstPointReworded(), savedBy: admin, confirmPointChanges: true, now: later }),
  ).toMatchObject({ outcome: "saved", changed: ["points.1.title", "points.1.body"] });
  expect((await audited("settings.save")).at(-1)!.details).toMatchObject({ pointsChangedAfterAnswers: [1] });
  const [first, second] = (await findCampaign())!.points;
  const answerVersions = async (candidacyId: number) =>
    await db
      .select({ pointId: pledgePointAnswers.pointId, pointVersion: pledgePointAnswers.pointVersion })
      .from(pledgePointAnswers)
      .where(eq(pledgePointAnswers.candidacyId, candidacyId))
      .orderBy(asc(pledgePointAnswers.pointId));
  expect(await answerVersions(ruth.id)).toEqual([
    { pointId: first!.id, pointVersion: 1 },
    { pointId: second!.id, pointVersion: 1 },
  ]);

  await insertPledgeByCampaign({ personId: sam.personId, sign: [1], decline: [2], now: later });
  expect(await answerVersions(sam.id)).toEqual([
    { pointId: first!.id, pointVersion: 2 },
    { pointId: second!.id, pointVersion: 1 },
  ]);
  const [history] = await db
    .select({ pointVersions: pledgeHistory.pointVersions })
    .from(pledgeHistory)
    .where(eq(pledgeHistory.candidacyId, sam.id));
  expect(history!.pointVersions).toEqual({ [first!.id]: 2, [second!.id]: 1 });
});

test("the candidate page shows an answer to earlier words with those words; an answer to today's words shows none", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: admin, now });
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const sam = await insertCandidacy({ name: "Sam Okafor" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2], now });
  await saveCampaign({ settings: withFirstPointReworded(), savedBy: admin, confirmPointChanges: true, now: later });
  await insertPledgeByCampaign({ personId: sam.personId, sign: [1, 2], now: later });

  expect((await findCandidatePage({ personId: ruth.personId }))!.points.map((p) => p.answeredWords)).toEqual([
    {
      version: 1,
      title: "Slow the traffic outside every school.",
      body: "I will back 20 mph limits where children walk to school.",
    },
    null,
  ]);
  expect((await findCandidatePage({ personId: sam.personId }))!.points.map((p) => p.answeredWords)).toEqual([
    null,
    null,
  ]);
});

test("npm run campaign keeps a version too, and refuses new words for an answered point without --confirm-point-changes", async () => {
  const path = writeInputFile("campaign.json", JSON.stringify(buildCampaignSettings()));
  await loadCampaignSettings({ path, now });
  expect((await listSettingsVersions()).map((v) => v.savedBy)).toEqual(["npm run campaign"]);

  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1], now });
  const reworded = writeInputFile("campaign.json", JSON.stringify(withFirstPointReworded()));
  await expect(loadCampaignSettings({ path: reworded, now: later })).rejects.toThrow(ImportFailed);
  try {
    await loadCampaignSettings({ path: reworded, now: later });
  } catch (error) {
    expect((error as ImportFailed).problems).toEqual([
      {
        file: reworded,
        column: "points.0",
        message:
          'point 1 ("Slow the traffic outside every school.") has been answered by 1 candidate; changing its words needs --confirm-point-changes (1 candidate answered the earlier words)',
      },
    ]);
  }
  expect((await findCampaign())!.points[0]!.version).toBe(1);
  expect(await listSettingsVersions()).toHaveLength(1);

  await loadCampaignSettings({ path: reworded, confirmPointChanges: true, now: later });
  expect((await findCampaign())!.points[0]!.version).toBe(2);
  expect((await listSettingsVersions()).map((v) => v.savedBy)).toEqual(["npm run campaign", "npm run campaign"]);
});

test("saving the review thresholds keeps a version of the settings too", async () => {
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: "npm run campaign", now });
  await saveReviewRules({
    rules: {
      maxAsksPerAddressPerHour: 8,
      maxAsksPerNetworkPerHour: 40,
      maxAsksWithSameMessage: 12,
      holdLinks: true,
      holdDisposableDomains: false,
    },
    actor: admin,
    now: later,
  });
  const [newest] = await listSettingsVersions();
  expect(newest).toMatchObject({ savedBy: admin, createdAt: later.toISOString() });
  expect((await findSettingsVersion({ id: newest!.id }))!.settings).toMatchObject({
    reviewRules: { maxAsksPerAddressPerHour: 8 },
  });
  expect(await db.select().from(campaignSettingsVersions)).toHaveLength(2);
});

test("npm run campaign refuses new words for an answered point, and takes them with --confirm-point-changes", async () => {
  // The command runs on this test's own database file, as it would on the server's.
  await saveCampaign({ settings: buildCampaignSettings(), savedBy: "npm run campaign", now });
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1], now });
  const reworded = writeInputFile("campaign.json", JSON.stringify(withFirstPointReworded()));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/campaign.ts", ...args], { encoding: "utf8" });

  const refused = run(reworded);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("not loaded; the database is unchanged");
  expect(refused.stderr).toContain("changing its words needs --confirm-point-changes");
  expect((await findCampaign())!.points[0]!.version).toBe(1);

  const confirmed = run("--confirm-point-changes", reworded);
  expect(confirmed.status, confirmed.stderr).toBe(0);
  expect((await findCampaign())!.points[0]).toMatchObject({ title: "Slow the traffic near every school.", version: 2 });
  expect((await listSettingsVersions()).map((v) => v.savedBy)).toEqual(["npm run campaign", "npm run campaign"]);
});
