// Consent records: each consent on the ask form is stored with the version of
// the wording the person was shown, when and how; an admin's change of wording
// makes a new version and leaves the records already made alone; the export,
// subject access and erasure read and remove them.
import { writeTransaction } from "#db/index";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, consentRecords, consentTexts } from "#db/schema";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { listAskableCandidates } from "~/models/ask.server";
import { eraseSupporter } from "~/models/erasure.server";
import { exportPersonData } from "~/models/subject-access.server";
import { exportSupporters } from "~/models/supporter-export.server";
import { action as askAction, loader as askLoader } from "~/routes/constituencies.$slug_.ask";
import { action as consentsAction, loader as consentsLoader } from "~/routes/staff.settings_.consents";
import { defaultConsentWordings } from "~/utils/consent";
import { db } from "~/utils/db.server";
import { issueFormStamp } from "~/utils/form-stamp.server";
import { insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const slug = "brackenby-vale";
const askUrl = `http://localhost/constituencies/${slug}/ask`;
const settingsUrl = "http://localhost/staff/settings/consents";
let ip = 0;

async function setUp() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  await insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  return { seat, candidates: await listAskableCandidates({ constituencyCode: seat.gssCode }) };
}

/** What the ask form shows and carries, as its loader gives it. */
async function askPage() {
  return askLoader({ request: new Request(askUrl), params: { slug }, context: {} });
}

/** The ask as the browser sends it from the preview, carrying the consent versions the pages showed. */
async function sendAsk({
  candidateIds,
  email,
  shown,
  updates = true,
  publicList = true,
}: {
  candidateIds: number[];
  email: string;
  shown: Awaited<ReturnType<typeof askPage>>["consents"];
  updates?: boolean;
  publicList?: boolean;
}) {
  const body = new URLSearchParams({
    startedAt: issueFormStamp({
      secret: await findOrCreateAppSecret({ name: "ask-form" }),
      now: new Date(Date.now() - 60_000),
    }),
    "leave-this-blank": "",
    intent: "send",
    name: "Rajan Nair",
    email,
    postcode: "ZZ4 1AA",
    wordingId: "direct",
    personalMessage: "",
    publicListTextId: shown.publicList.id,
    updatesTextId: shown.updates.id,
    sendAskTextId: shown.sendAsk.id,
  });
  for (const id of candidateIds) body.append("candidacyIds", String(id));
  if (updates) body.set("wantsUpdates", "yes");
  if (publicList) body.set("showOnPublicList", "yes");
  return settle(() =>
    askAction({
      request: new Request(askUrl, { method: "POST", body }),
      params: { slug },
      context: { clientIp: `192.0.2.${++ip}` },
    }),
  );
}

async function recordsNow() {
  return await db
    .select({
      askId: consentRecords.askId,
      purpose: consentRecords.purpose,
      action: consentRecords.action,
      method: consentRecords.method,
      at: consentRecords.at,
      version: consentTexts.version,
      wording: consentTexts.wording,
    })
    .from(consentRecords)
    .innerJoin(consentTexts, eq(consentTexts.id, consentRecords.consentTextId))
    .orderBy(asc(consentRecords.id));
}

async function saveWordings(admin: Awaited<ReturnType<typeof signedInStaff>>, wordings: Record<string, string>) {
  return (await settle(() =>
    consentsAction({ request: staffPost(settingsUrl, admin, wordings), params: {}, context: {} }),
  )) as Response;
}

test("the ask form shows the current wordings and the ask records each consent given with its version, when and how", async () => {
  const { candidates } = await setUp();
  const page = await askPage();
  expect(page.consents.updates.wording).toBe(defaultConsentWordings.updates);
  expect(page.consents.publicList.wording).toBe(defaultConsentWordings["public-list"]);

  const before = new Date().toISOString();
  const sent = (await sendAsk({
    candidateIds: candidates.map((c) => c.id),
    email: "rajan@example.org",
    shown: page.consents,
  })) as Response;
  expect(sent.status).toBe(302);

  const records = await recordsNow();
  expect(records.map((r) => [r.purpose, r.action, r.method, r.version, r.wording])).toEqual([
    ["send-ask", "given", "ask-form", 1, defaultConsentWordings["send-ask"]],
    ["public-list", "given", "ask-form", 1, defaultConsentWordings["public-list"]],
    ["updates", "given", "ask-form", 1, defaultConsentWordings.updates],
  ]);
  expect(records.every((r) => r.at >= before)).toBe(true);
});

test("a box left unticked records no consent for it; sending always records the consent to send", async () => {
  const { candidates } = await setUp();
  await sendAsk({
    candidateIds: candidates.map((c) => c.id),
    email: "quiet@example.org",
    shown: (await askPage()).consents,
    updates: false,
    publicList: false,
  });
  expect((await recordsNow()).map((r) => r.purpose)).toEqual(["send-ask"]);
});

test("a changed wording is a new version: old records keep theirs, and a form opened before the change records what it showed", async () => {
  const { candidates } = await setUp();
  const admin = await signedInStaff("admin");
  const openedBefore = (await askPage()).consents;
  await sendAsk({ candidateIds: candidates.map((c) => c.id), email: "first@example.org", shown: openedBefore });

  const response = await saveWordings(admin, {
    sendAsk: defaultConsentWordings["send-ask"],
    publicList: defaultConsentWordings["public-list"],
    updates: "Email me news of the campaign,\r\n  now and then",
  });
  expect(response.headers.get("Location")).toBe("/staff/settings/consents?saved=yes");

  // The form shows the new wording, with its own id.
  const after = (await askPage()).consents;
  expect(after.updates.wording).toBe("Email me news of the campaign, now and then");
  expect(after.updates.id).not.toBe(openedBefore.updates.id);
  expect(after.publicList.id).toBe(openedBefore.publicList.id);

  await sendAsk({ candidateIds: candidates.map((c) => c.id), email: "second@example.org", shown: after });
  // Opened before the change, sent after it: the words it showed are what it records.
  await sendAsk({ candidateIds: candidates.map((c) => c.id), email: "third@example.org", shown: openedBefore });

  const updates = (await recordsNow()).filter((r) => r.purpose === "updates");
  expect(updates.map((r) => [r.version, r.wording])).toEqual([
    [1, defaultConsentWordings.updates],
    [2, "Email me news of the campaign, now and then"],
    [1, defaultConsentWordings.updates],
  ]);
  // Version 1 is still there as it was; versions are never edited (a trigger refuses it).
  await expect(writeTransaction(db, () => db.update(consentTexts).set({ wording: "rewritten" }))).rejects.toThrow(
    /consent_texts are versions/,
  );
  await expect(writeTransaction(db, () => db.update(consentRecords).set({ method: "staff" }))).rejects.toThrow(
    /append-only/,
  );

  const audit = await db.select().from(auditLog).where(eq(auditLog.action, "settings.consents"));
  expect(audit).toEqual([
    expect.objectContaining({
      actor: admin.account.email,
      subject: "campaign",
      details: { updates: { from: 1, to: 2 } },
    }),
  ]);

  // Saving the same words again makes no version and no audit entry.
  const again = await saveWordings(admin, {
    sendAsk: defaultConsentWordings["send-ask"],
    publicList: defaultConsentWordings["public-list"],
    updates: "Email me news of the campaign, now and then",
  });
  expect(again.headers.get("Location")).toBe("/staff/settings/consents?saved=unchanged");
  expect(await db.select().from(consentTexts)).toHaveLength(4);
  const page = (await consentsLoader({
    request: staffGet(settingsUrl, admin),
    params: {},
    context: {},
  })) as unknown as {
    data: { versions: { purpose: string; version: number }[] };
  };
  expect(page.data.versions.filter((v) => v.purpose === "updates").map((v) => v.version)).toEqual([2, 1]);
});

test("a form that carries no consent versions, or made-up ones, is shown again and records nothing", async () => {
  const { candidates } = await setUp();
  const shown = (await askPage()).consents;
  const forged = await sendAsk({
    candidateIds: candidates.map((c) => c.id),
    email: "forged@example.org",
    // The updates id given for the public list: a real version, of the wrong consent.
    shown: { ...shown, publicList: { ...shown.publicList, id: shown.updates.id } },
  });
  expect((forged as Response).status).toBe(400);
  const missing = await sendAsk({
    candidateIds: candidates.map((c) => c.id),
    email: "missing@example.org",
    shown: { ...shown, sendAsk: { ...shown.sendAsk, id: "" } },
  });
  expect((missing as Response).status).toBe(400);
  expect(await recordsNow()).toEqual([]);
});

test("only admins change the wordings, and an empty one is refused", async () => {
  await setUp();
  await askPage();
  const organiser = await signedInStaff("organiser");
  expect(
    (
      (await settle(() =>
        consentsAction({ request: staffPost(settingsUrl, organiser, { updates: "x" }), params: {}, context: {} }),
      )) as Response
    ).status,
  ).toBe(403);
  const admin = await signedInStaff("admin");
  const refused = (await settle(() =>
    consentsAction({
      request: staffPost(settingsUrl, admin, { sendAsk: "Send it", publicList: " ", updates: "Updates" }),
      params: {},
      context: {},
    }),
  )) as unknown as { data: { errors: Record<string, string> }; init: ResponseInit };
  expect(refused.init.status).toBe(400);
  expect(refused.data.errors).toEqual({ publicList: "Enter the wording of the public list box" });
  expect(await db.select().from(consentTexts)).toHaveLength(3);
});

test("the supporter export carries each person's updates consent wording, version and time from their record", async () => {
  const { seat, candidates } = await setUp();
  const admin = await signedInStaff("admin");
  const t1 = new Date("2024-06-20T09:00:00.000Z");
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: candidates.map((c) => c.id),
    name: "Bea Carter",
    email: "bea@example.org",
    wantsUpdates: true,
    now: t1,
  });
  await saveWordings(admin, {
    sendAsk: defaultConsentWordings["send-ask"],
    publicList: defaultConsentWordings["public-list"],
    updates: "Email me the campaign's news",
  });
  const t2 = new Date("2024-06-21T10:00:00.000Z");
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: candidates.map((c) => c.id),
    name: "Rajan Nair",
    email: "rajan@example.org",
    wantsUpdates: true,
    now: t2,
  });

  const { csv } = await exportSupporters({ scope: "all", accountId: null, actor: admin.account.email, now: t2 });
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => [r.name, r.consent_wording, r.consent_version, r.consented_at])).toEqual([
    ["Bea Carter", defaultConsentWordings.updates, "updates-v1", t1.toISOString()],
    ["Rajan Nair", "Email me the campaign's news", "updates-v2", t2.toISOString()],
  ]);
});

test("subject access includes the person's consent records with their wording, and nothing of anyone else's", async () => {
  const { seat, candidates } = await setUp();
  const at = new Date("2024-06-20T09:00:00.000Z");
  const ask = async (email: string, wantsUpdates: boolean) =>
    insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: candidates.map((c) => c.id),
      email,
      wantsUpdates,
      showOnPublicList: !wantsUpdates,
      now: at,
    });
  await ask("rajan@example.org", true);
  await ask("someone.else@example.org", false);

  const { json } = await exportPersonData({ email: "rajan@example.org", actor: "admin@example.org", now: at });
  const data = JSON.parse(json) as { consents: Record<string, unknown>[]; asks: { id: number }[] };
  expect(data.consents).toEqual([
    {
      askId: data.asks[0]!.id,
      purpose: "send-ask",
      action: "given",
      method: "ask-form",
      at: at.toISOString(),
      version: "send-ask-v1",
      wording: defaultConsentWordings["send-ask"],
    },
    expect.objectContaining({ purpose: "updates", version: "updates-v1", wording: defaultConsentWordings.updates }),
  ]);
  expect(json).not.toContain("someone.else");
  expect(json).not.toContain('"public-list"');
});

test("erasing a person deletes their consent records and keeps the wordings; others' records stay", async () => {
  const { seat, candidates } = await setUp();
  const ask = async (email: string) =>
    insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: candidates.map((c) => c.id),
      email,
      wantsUpdates: true,
    });
  await ask("rajan@example.org");
  await ask("bea@example.org");
  expect(await recordsNow()).toHaveLength(4);

  const result = await eraseSupporter({
    email: "rajan@example.org",
    reason: "supporter-request",
    by: "supporter",
    now: new Date(),
  });

  expect(result.consentRecords).toBe(2);
  expect(await recordsNow()).toHaveLength(2);
  expect(await db.select().from(consentTexts)).toHaveLength(3);
});

test("migration 0014 seeds the same version 1 wordings the app falls back to", () => {
  const sql = readFileSync(join(import.meta.dirname, "../../db/migrations/0014_consent_records.sql"), "utf8");
  for (const [purpose, wording] of Object.entries(defaultConsentWordings))
    expect(sql).toContain(`('${purpose}', 1, '${wording.replace(/'/g, "''")}')`);
});
