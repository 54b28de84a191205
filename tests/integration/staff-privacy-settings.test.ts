// The privacy settings (data controller, DPO, retention periods), changed by
// an admin in the console or loaded from campaign.json, each save kept as a
// version of the settings and audited.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, campaigns } from "#db/schema";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { findSettingsVersion, listSettingsVersions } from "~/models/campaign.server";
import { action, loader } from "~/routes/staff.settings_.privacy";
import { db } from "~/utils/db.server";
import { insertCampaign, writeInputFile } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const url = "http://localhost/staff/settings/privacy";
const good = {
  controllerName: "Brackenby Community Trust",
  controllerAddress: "4 Mill Lane\r\n\r\n  Brackenby \r\nZZ4 1AA",
  controllerEmail: "data@brackenby.example",
  dpoName: "Priya Shah",
  dpoEmail: "dpo@brackenby.example",
  askDaysAfterPollingDay: "60",
  clientDataHours: "48",
  mailboxDays: "3",
};

async function saved() {
  return (await db.select({ privacy: campaigns.privacy, retention: campaigns.retention }).from(campaigns).limit(1))[0]!;
}

type Page = { data: { values: Record<string, string> } };
type Failed = { data: { errors: Record<string, string>; values: Record<string, string> }; init: ResponseInit };

test("only admins see and change the privacy settings", async () => {
  await insertCampaign();
  for (const role of ["viewer", "organiser"] as const) {
    const staff = await signedInStaff(role);
    expect(
      ((await settle(async () => loader({ request: staffGet(url, staff), params: {}, context: {} }))) as Response)
        .status,
    ).toBe(403);
    expect(
      ((await settle(() => action({ request: staffPost(url, staff, good), params: {}, context: {} }))) as Response)
        .status,
    ).toBe(403);
  }
  const signedOut = (await settle(async () => loader({ request: staffGet(url), params: {}, context: {} }))) as Response;
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fsettings%2Fprivacy");
  expect(await saved()).toEqual({ privacy: {}, retention: {} });
});

test("an admin sees what the notice uses today and saves new settings, kept as a version and audited", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const page = (await loader({ request: staffGet(url, admin), params: {}, context: {} })) as unknown as Page;
  expect(page.data.values).toEqual({
    controllerName: "Quiet Streets Pledge",
    controllerAddress: "",
    controllerEmail: "streets@example.org",
    dpoName: "",
    dpoEmail: "",
    askDaysAfterPollingDay: "90",
    clientDataHours: "24",
    mailboxDays: "7",
  });
  const versionsBefore = (await listSettingsVersions()).length;
  const response = (await settle(() =>
    action({ request: staffPost(url, admin, good), params: {}, context: {} }),
  )) as Response;
  expect(response.headers.get("Location")).toBe("/staff/settings/privacy?saved=yes");
  expect(await saved()).toEqual({
    privacy: {
      controllerName: "Brackenby Community Trust",
      controllerAddress: "4 Mill Lane\nBrackenby\nZZ4 1AA",
      controllerEmail: "data@brackenby.example",
      dpoName: "Priya Shah",
      dpoEmail: "dpo@brackenby.example",
    },
    retention: { askDaysAfterPollingDay: 60, clientDataHours: 48, mailboxDays: 3 },
  });
  const versions = await listSettingsVersions();
  expect(versions).toHaveLength(versionsBefore + 1);
  expect(versions[0]!.savedBy).toBe(admin.account.email);
  expect((await findSettingsVersion({ id: versions[0]!.id }))!.settings).toMatchObject({
    privacy: { controllerName: "Brackenby Community Trust" },
    retention: { mailboxDays: 3 },
  });
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "settings.privacy"));
  expect(entry).toMatchObject({ actor: admin.account.email, subject: "campaign" });
  expect(entry!.details).toEqual({
    version: versions[0]!.id,
    contacts: ["controllerName", "controllerAddress", "controllerEmail", "dpoName", "dpoEmail"],
    askDaysAfterPollingDay: { from: 90, to: 60 },
    clientDataHours: { from: 24, to: 48 },
    mailboxDays: { from: 7, to: 3 },
  });

  // The same again changes nothing and keeps no version.
  const again = (await settle(() =>
    action({ request: staffPost(url, admin, good), params: {}, context: {} }),
  )) as Response;
  expect(again.headers.get("Location")).toBe("/staff/settings/privacy?saved=unchanged");
  expect(await listSettingsVersions()).toHaveLength(versionsBefore + 1);
});

test("the DPO is optional", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  await settle(() =>
    action({ request: staffPost(url, admin, { ...good, dpoName: " ", dpoEmail: "" }), params: {}, context: {} }),
  );
  expect((await saved()).privacy).toMatchObject({ dpoName: "", dpoEmail: "" });
});

test("bad input says which field and why, keeps what was typed, and saves nothing", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const result = (await action({
    request: staffPost(url, admin, {
      ...good,
      controllerName: "  ",
      controllerAddress: "",
      controllerEmail: "data at brackenby",
      dpoEmail: "dpo@",
      askDaysAfterPollingDay: "",
      clientDataHours: "12",
      mailboxDays: "a week",
    }),
    params: {},
    context: {},
  })) as unknown as Failed;
  expect(result.init.status).toBe(400);
  expect(result.data.errors).toEqual({
    controllerName: "Enter the data controller's name",
    controllerAddress: "Enter the data controller's postal address",
    controllerEmail: "Enter the data controller's email address in the correct format, like name@example.org",
    dpoEmail: "Enter the DPO's email address in the correct format, like dpo@example.org",
    askDaysAfterPollingDay: "Enter how long to keep asks after polling day as a whole number",
    clientDataHours: "Enter 24 hours or more for how long to keep client-address data",
    mailboxDays: "Enter how long to keep the local mailbox as a whole number",
  });
  expect(result.data.values).toMatchObject({ controllerEmail: "data at brackenby", mailboxDays: "a week" });
  expect(await saved()).toEqual({ privacy: {}, retention: {} });
});

test("a forged post changes no setting", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  for (const forgery of [{ csrf: null }, { origin: "https://evil.example" }]) {
    const response = (await settle(() =>
      action({ request: staffPost(url, admin, good, forgery), params: {}, context: {} }),
    )) as Response;
    expect(response.status).toBe(403);
  }
  expect(await saved()).toEqual({ privacy: {}, retention: {} });
  expect(await db.select().from(auditLog).where(eq(auditLog.action, "settings.privacy"))).toEqual([]);
});

test("the shipped campaign.json loads with its privacy settings, and one without them still loads", async () => {
  await loadCampaignSettings({ path: "data/campaign.json" });
  expect(await saved()).toEqual({
    privacy: {
      controllerName: "Rally With Refugees",
      controllerAddress: "1 Example Street\nLondon\nN1 1AA",
      controllerEmail: "privacy@example.org",
      dpoName: "Sam Example",
      dpoEmail: "dpo@example.org",
    },
    retention: { askDaysAfterPollingDay: 90, clientDataHours: 24, mailboxDays: 7 },
  });

  const {
    privacy: _privacy,
    retention: _retention,
    ...before
  } = JSON.parse(readFileSync("data/campaign.json", "utf8"));
  await loadCampaignSettings({ path: writeInputFile("campaign.json", JSON.stringify(before)) });
  expect(await saved()).toEqual({ privacy: {}, retention: {} });
});
