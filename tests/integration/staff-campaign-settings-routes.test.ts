// An admin changes the campaign's settings in the console: checked by the
// same schema as campaign.json, previewed before saving, kept as versions,
// and never changing the words of an answered point without saying so.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog } from "#db/schema";
import { findCampaign, listSettingsVersions } from "~/models/campaign.server";
import { action, loader } from "~/routes/staff.settings_.campaign";
import { loader as versionLoader } from "~/routes/staff.settings_.versions.$id";
import { loader as versionsLoader } from "~/routes/staff.settings_.versions._index";
import { db } from "~/utils/db.server";
import { insertCampaign, insertCandidacy, insertPledgeByCampaign } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const url = "http://localhost/staff/settings/campaign";
const versionsUrl = "http://localhost/staff/settings/versions";

/** The form as the page fills it for the factory's campaign, with `changes` typed over it. */
async function formWith(changes: Record<string, string> = {}) {
  const [first, second] = (await findCampaign())!.points;
  return {
    name: "Quiet Streets Pledge",
    summary: "Ask your candidates to pledge to make the streets near schools safe to walk.",
    fromEmail: "streets@example.org",
    askHourlyCap: "20",
    messagePrompts: "",
    "points.0.id": String(first!.id),
    "points.0.title": "Slow the traffic outside every school.",
    "points.0.body": "I will back 20 mph limits where children walk to school.",
    "points.1.id": String(second!.id),
    "points.1.title": "Fund safe crossings.",
    "points.1.body": "I will press for a crossing wherever parents ask for one.",
    "wordingVariants.0.id": "direct",
    "wordingVariants.0.isNew": "",
    "wordingVariants.0.label": "Direct",
    "wordingVariants.0.opening": "Please sign the pledge.",
    "wordingVariants.0.closing": "Thank you.",
    ...changes,
  };
}

type Posted = {
  data: {
    errors: Record<string, string>;
    values: Record<string, string>;
    plan: {
      answered: { candidates: number; points: { position: number }[] };
      added: number;
      removed: { position: number; title: string }[];
      statusChanges: { from: string; to: string; candidates: number }[];
      setChangedAfterAnswers: boolean;
    } | null;
    preview: {
      home: { name: string; points: { title: string }[] };
      mails: { from: string; subject: string; textBody: string }[];
    } | null;
  };
  init: ResponseInit;
};

async function post(staff: Awaited<ReturnType<typeof signedInStaff>>, fields: Record<string, string>) {
  return settle(() => action({ request: staffPost(url, staff, fields), params: {}, context: {} }));
}

async function settingsAudits() {
  return await db.select().from(auditLog).where(eq(auditLog.action, "settings.save"));
}

test("only admins see the campaign settings and its versions, or change them", async () => {
  await insertCampaign();
  const before = await listSettingsVersions();
  for (const role of ["viewer", "organiser"] as const) {
    const staff = await signedInStaff(role);
    const calls: (() => unknown)[] = [
      async () => loader({ request: staffGet(url, staff), params: {}, context: {} }),
      async () =>
        action({
          request: staffPost(url, staff, await formWith({ name: "Taken Over", "points.1.id": "", intent: "save" })),
          params: {},
          context: {},
        }),
      async () => versionsLoader({ request: staffGet(versionsUrl, staff), params: {}, context: {} }),
      async () =>
        versionLoader({
          request: staffGet(`${versionsUrl}/${before[0]!.id}`, staff),
          params: { id: String(before[0]!.id) },
          context: {},
        }),
    ];
    for (const call of calls) expect(((await settle(call)) as Response).status).toBe(403);
  }
  const signedOut = (await settle(async () => loader({ request: staffGet(url), params: {}, context: {} }))) as Response;
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fsettings%2Fcampaign");
  expect((await findCampaign())!.name).toBe("Quiet Streets Pledge");
  expect((await findCampaign())!.points.map((p) => p.title)).toEqual([
    "Slow the traffic outside every school.",
    "Fund safe crossings.",
  ]);
  expect(await listSettingsVersions()).toEqual(before);
});

test("forged posts (no token, a wrong token, another origin) change nothing", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const forgeries = [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }];
  for (const forgery of forgeries) {
    const forged = await settle(async () =>
      action({
        request: staffPost(
          url,
          admin,
          await formWith({
            name: "Forged",
            "points.2.id": "",
            "points.2.title": "A forged point.",
            "points.2.body": "Nobody meant this.",
            intent: "save",
          }),
          forgery,
        ),
        params: {},
        context: {},
      }),
    );
    expect((forged as Response).status).toBe(403);
  }
  expect((await findCampaign())!.name).toBe("Quiet Streets Pledge");
  expect((await findCampaign())!.points).toHaveLength(2);
  expect(await listSettingsVersions()).toHaveLength(1);
  expect(await settingsAudits()).toHaveLength(1);
});

test("the page shows the saved settings in its fields", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const page = (await loader({ request: staffGet(url, admin), params: {}, context: {} })) as unknown as {
    data: { values: Record<string, string> };
  };
  expect(page.data.values).toEqual(await formWith());
});

test("bad values say which field and why, keep what was typed, and save nothing", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const typed = await formWith({
    name: "  ",
    fromEmail: "not an address",
    askHourlyCap: "0",
    "points.1.title": "",
    "wordingVariants.0.closing": "",
    intent: "save",
  });
  const result = (await post(admin, typed)) as Posted;
  expect(result.init.status).toBe(400);
  expect(result.data.errors).toEqual({
    name: "Enter the campaign's name",
    fromEmail: "Enter the sender's email address in the correct format, like name@example.org",
    askHourlyCap: "Enter an hourly cap of 1 or more",
    "points.1.title": "Enter the point's title",
    "wordingVariants.0.closing": "Enter the wording's closing",
  });
  expect(result.data.values).toMatchObject({ fromEmail: "not an address", askHourlyCap: "0" });
  expect(result.data.preview).toBeNull();
  expect((await findCampaign())!.name).toBe("Quiet Streets Pledge");
  expect(await listSettingsVersions()).toHaveLength(1);

  const blankCap = (await post(admin, await formWith({ askHourlyCap: "", intent: "preview" }))) as Posted;
  expect(blankCap.data.errors).toEqual({ askHourlyCap: "Enter the hourly cap as a whole number" });
});

test("preview shows the home page's text and the ask mail from the values typed, and saves nothing", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const result = (await post(
    admin,
    await formWith({
      name: "Safe Streets Pledge",
      "points.0.title": "Twenty is plenty.",
      "wordingVariants.0.opening": "As your constituent I ask you to sign.",
      intent: "preview",
    }),
  )) as Posted;
  expect(result.data.errors).toEqual({});
  expect(result.data.preview!.home).toMatchObject({ name: "Safe Streets Pledge" });
  expect(result.data.preview!.home.points.map((p) => p.title)).toEqual(["Twenty is plenty.", "Fund safe crossings."]);
  const [mail] = result.data.preview!.mails;
  expect(mail!.from).toBe("Safe Streets Pledge <streets@example.org>");
  expect(mail!.subject).toBe("Will you sign the Safe Streets Pledge pledge? A constituent in Anytown North asks");
  expect(mail!.textBody).toContain("As your constituent I ask you to sign.");
  expect(mail!.textBody).toContain("1. Twenty is plenty.");
  expect((await findCampaign())!.name).toBe("Quiet Streets Pledge");
  expect(await listSettingsVersions()).toHaveLength(1);
});

test("save changes the settings, keeps a version saved by the admin, and audits the fields changed", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const saved = (await post(
    admin,
    await formWith({
      name: "Safe Streets Pledge",
      askHourlyCap: "7",
      messagePrompts: "Why it matters\n\n  Your street  ",
      intent: "save",
    }),
  )) as Response;
  expect(saved.headers.get("Location")).toBe("/staff/settings/campaign?saved=yes");
  expect(await findCampaign()).toMatchObject({
    name: "Safe Streets Pledge",
    askHourlyCap: 7,
    messagePrompts: ["Why it matters", "Your street"],
  });
  const [newest] = await listSettingsVersions();
  expect(newest!.savedBy).toBe(admin.account.email);
  expect((await settingsAudits()).at(-1)).toMatchObject({
    actor: admin.account.email,
    details: { changed: ["name", "askHourlyCap", "messagePrompts"], version: newest!.id },
  });

  const versions = (await versionsLoader({
    request: staffGet(versionsUrl, admin),
    params: {},
    context: {},
  })) as unknown as {
    data: { versions: { id: number; savedBy: string }[] };
  };
  expect(versions.data.versions.map((v) => v.savedBy)).toEqual([admin.account.email, "npm run campaign"]);
  const view = (await versionLoader({
    request: staffGet(`${versionsUrl}/${newest!.id}`, admin),
    params: { id: String(newest!.id) },
    context: {},
  })) as unknown as { data: { settings: { name: string } } };
  expect(view.data.settings.name).toBe("Safe Streets Pledge");
  const missing = await settle(async () =>
    versionLoader({ request: staffGet(`${versionsUrl}/999`, admin), params: { id: "999" }, context: {} }),
  );
  expect((missing as Response).status).toBe(404);

  const again = (await post(
    admin,
    await formWith({
      name: "Safe Streets Pledge",
      askHourlyCap: "7",
      messagePrompts: "Why it matters\nYour street",
      intent: "save",
    }),
  )) as Response;
  expect(again.headers.get("Location")).toBe("/staff/settings/campaign?saved=unchanged");
  expect(await listSettingsVersions()).toHaveLength(2);
});

test("new words for a point candidates answered need the box ticked; without it nothing is saved", async () => {
  await insertCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  const sam = await insertCandidacy({ name: "Sam Okafor" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1] });
  await insertPledgeByCampaign({ personId: sam.personId, sign: [1, 2] });
  const admin = await signedInStaff("admin");
  const reworded = await formWith({ "points.0.title": "Slow the traffic near every school." });

  const preview = (await post(admin, { ...reworded, intent: "preview" })) as Posted;
  expect(preview.data.plan!.answered).toMatchObject({ candidates: 2, points: [{ position: 1 }] });

  const refused = (await post(admin, { ...reworded, intent: "save" })) as Posted;
  expect(refused.init.status).toBe(400);
  expect(refused.data.errors).toEqual({
    confirmPointChanges: "Confirm that you understand 2 candidates answered the earlier words",
  });
  expect((await findCampaign())!.points[0]).toMatchObject({
    title: "Slow the traffic outside every school.",
    version: 1,
  });
  expect(await listSettingsVersions()).toHaveLength(1);

  const saved = (await post(admin, { ...reworded, confirmPointChanges: "yes", intent: "save" })) as Response;
  expect(saved.headers.get("Location")).toBe("/staff/settings/campaign?saved=yes");
  expect((await findCampaign())!.points[0]).toMatchObject({ title: "Slow the traffic near every school.", version: 2 });
});

test("Add another point, Remove and Move up re-render the form with what was typed, and save nothing", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const typed = await formWith({ name: "Typed, not saved" });

  const added = (await post(admin, { ...typed, intent: "add-point" })) as Posted;
  expect(added.init.status ?? 200).toBe(200);
  expect(added.data.errors).toEqual({});
  expect(added.data.values).toMatchObject({
    name: "Typed, not saved",
    "points.2.id": "",
    "points.2.title": "",
    "points.2.body": "",
  });

  const moved = (await post(admin, { ...added.data.values, intent: "move-point-up:1" })) as Posted;
  expect([0, 1, 2].map((i) => moved.data.values[`points.${i}.title`])).toEqual([
    "Fund safe crossings.",
    "Slow the traffic outside every school.",
    "",
  ]);
  const removed = (await post(admin, { ...moved.data.values, intent: "remove-point:0" })) as Posted;
  expect(removed.data.values["points.0.title"]).toBe("Slow the traffic outside every school.");
  expect(removed.data.values["points.0.id"]).toBe(typed["points.0.id"]);
  expect(removed.data.values).not.toHaveProperty("points.2.title");

  const wording = (await post(admin, { ...typed, intent: "add-wording" })) as Posted;
  expect(wording.data.values).toMatchObject({ "wordingVariants.1.isNew": "yes", "wordingVariants.1.id": "" });

  expect((await findCampaign())!.name).toBe("Quiet Streets Pledge");
  expect((await findCampaign())!.points).toHaveLength(2);
  expect(await listSettingsVersions()).toHaveLength(1);
});

test("an admin adds a point and a wording, then removes the first point: matched by id, not by position", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const [first, second] = (await findCampaign())!.points;
  const withMore = await formWith({
    "points.2.id": "",
    "points.2.title": "Light every path to school.",
    "points.2.body": "I will press for lighting on every path children walk.",
    "wordingVariants.1.id": "warm",
    "wordingVariants.1.isNew": "yes",
    "wordingVariants.1.label": "Warm",
    "wordingVariants.1.opening": "I hope you will sign.",
    "wordingVariants.1.closing": "With thanks.",
  });
  const preview = (await post(admin, { ...withMore, intent: "preview" })) as Posted;
  expect(preview.data.preview!.home.points.map((p) => p.title)).toEqual([
    "Slow the traffic outside every school.",
    "Fund safe crossings.",
    "Light every path to school.",
  ]);
  expect(preview.data.preview!.mails).toHaveLength(2);
  expect(((await post(admin, { ...withMore, intent: "save" })) as Response).headers.get("Location")).toBe(
    "/staff/settings/campaign?saved=yes",
  );
  expect((await findCampaign())!.points.map((p) => p.title)).toEqual([
    "Slow the traffic outside every school.",
    "Fund safe crossings.",
    "Light every path to school.",
  ]);
  expect((await findCampaign())!.wordingVariants.map((w) => w.id)).toEqual(["direct", "warm"]);

  const third = (await findCampaign())!.points[2]!;
  const page = (await loader({ request: staffGet(url, admin), params: {}, context: {} })) as unknown as {
    data: { values: Record<string, string> };
  };
  const { values } = page.data;
  // Point 1 removed: what was point 2 moves up, keeping its id.
  const removed = (await post(admin, { ...values, intent: "remove-point:0" })) as Posted;
  await post(admin, { ...removed.data.values, intent: "save" });
  expect((await findCampaign())!.points.map((p) => [p.id, p.position, p.version])).toEqual([
    [second!.id, 1, 1],
    [third.id, 2, 1],
  ]);
  expect((await settingsAudits()).at(-1)!.details).toMatchObject({ changed: ["points.removed"] });
  expect((await findCampaign())!.points.some((p) => p.id === first!.id)).toBe(false);
});

test("wording ids must be slugs and unique; a point id not the campaign's says the page is out of date", async () => {
  await insertCampaign();
  const admin = await signedInStaff("admin");
  const clash = (await post(
    admin,
    await formWith({
      "wordingVariants.1.id": "direct",
      "wordingVariants.1.isNew": "yes",
      "wordingVariants.1.label": "Again",
      "wordingVariants.1.opening": "Hello.",
      "wordingVariants.1.closing": "Bye.",
      intent: "save",
    }),
  )) as Posted;
  expect(clash.init.status).toBe(400);
  expect(clash.data.errors).toEqual({ "wordingVariants.1.id": "must differ from every other wording's id" });

  const stale = (await post(admin, await formWith({ "points.1.id": "99999", intent: "save" }))) as Posted;
  expect(stale.init.status).toBe(409);
  expect(stale.data.errors).toEqual({
    points: "The points have changed since you opened this page: open it again to see them",
  });
  expect((await findCampaign())!.wordingVariants).toHaveLength(1);
  expect(await listSettingsVersions()).toHaveLength(1);
});

test("adding a point after candidates answered needs the box ticked, saying whose status changes", async () => {
  await insertCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2] });
  const admin = await signedInStaff("admin");
  const withThird = await formWith({
    "points.2.id": "",
    "points.2.title": "A third point.",
    "points.2.body": "It asks.",
  });

  const preview = (await post(admin, { ...withThird, intent: "preview" })) as Posted;
  expect(preview.data.plan).toMatchObject({
    added: 1,
    setChangedAfterAnswers: true,
    statusChanges: [{ from: "signed-all", to: "signed-some", candidates: 1 }],
  });
  const refused = (await post(admin, { ...withThird, intent: "save" })) as Posted;
  expect(refused.init.status).toBe(400);
  expect(refused.data.errors).toEqual({
    confirmPointChanges: "Confirm that you understand who has signed every point changes",
  });
  expect((await findCampaign())!.points).toHaveLength(2);

  await post(admin, { ...withThird, confirmPointChanges: "yes", intent: "save" });
  expect((await findCampaign())!.points).toHaveLength(3);
  expect((await settingsAudits()).at(-1)!.details).toMatchObject({
    statusChanges: [{ from: "signed-all", to: "signed-some", candidates: 1 }],
  });
});
