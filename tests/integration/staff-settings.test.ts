// The review queue's thresholds, changed by an admin in the console.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, campaigns } from "#db/schema";
import { action, loader } from "~/routes/staff.settings";
import { db } from "~/utils/db.server";
import { insertCampaign } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const url = "http://localhost/staff/settings";
const good = {
  maxAsksPerAddressPerHour: "8",
  maxAsksPerNetworkPerHour: "40",
  maxAsksWithSameMessage: "12",
  holds: "holdLinks",
};

async function savedRules() {
  return (await db.select({ rules: campaigns.reviewRules }).from(campaigns).limit(1))[0]!.rules;
}

test("only admins see and change the settings", async () => {
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
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fsettings");
  expect(await savedRules()).toEqual({});
});

test("an admin sees the rules in force, defaults included, and saves new ones, audited with what changed", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const page = (await loader({ request: staffGet(url, admin), params: {}, context: {} })) as {
    data: { values: Record<string, unknown> };
  };
  expect(page.data.values).toEqual({
    maxAsksPerAddressPerHour: "5",
    maxAsksPerNetworkPerHour: "20",
    maxAsksWithSameMessage: "10",
    holds: ["holdLinks", "holdDisposableDomains"],
  });
  const saved = (await settle(() =>
    action({ request: staffPost(url, admin, good), params: {}, context: {} }),
  )) as Response;
  expect(saved.headers.get("Location")).toBe("/staff/settings?saved=yes");
  expect(await savedRules()).toEqual({
    maxAsksPerAddressPerHour: 8,
    maxAsksPerNetworkPerHour: 40,
    maxAsksWithSameMessage: 12,
    holdLinks: true,
    holdDisposableDomains: false,
  });
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "settings.review-rules"));
  expect(entry).toMatchObject({ actor: admin.account.email, subject: "campaign" });
  expect(entry!.details).toEqual({
    maxAsksPerAddressPerHour: { from: 5, to: 8 },
    maxAsksPerNetworkPerHour: { from: 20, to: 40 },
    maxAsksWithSameMessage: { from: 10, to: 12 },
    holdDisposableDomains: { from: true, to: false },
  });
});

test("a threshold that is not a whole number of 1 or more says which field and why, and nothing is saved", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const result = (await action({
    request: staffPost(url, admin, { ...good, maxAsksPerAddressPerHour: "0", maxAsksWithSameMessage: "ten" }),
    params: {},
    context: {},
  })) as { data: { errors: Record<string, string>; values: Record<string, unknown> }; init: ResponseInit };
  expect(result.init.status).toBe(400);
  expect(result.data.errors).toEqual({
    maxAsksPerAddressPerHour: "Enter the asks per address of 1 or more",
    maxAsksWithSameMessage: "Enter the asks with the same message as a whole number",
  });
  expect(result.data.values.maxAsksWithSameMessage).toBe("ten");
  expect(await savedRules()).toEqual({});
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
  expect(await savedRules()).toEqual({});
});
