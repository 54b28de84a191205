import { and, asc, countDistinct, desc, eq, inArray } from "drizzle-orm";
import { writeTransaction } from "#db/index";
import {
  campaignSettingsVersions,
  campaigns,
  elections,
  pledgePointAnswers,
  pledgePointVersions,
  pledgePoints,
  type PrivacyContacts,
  type RetentionPeriods,
  type ReviewRules,
  type WordingVariant,
} from "#db/schema";
import { candidateAskMail } from "~/mail-wording/ask-mails";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { env, publicUrl } from "~/utils/env.server";
import { paths } from "~/utils/paths";

export type CampaignSettings = {
  name: string;
  slug: string;
  summary: string;
  electionId: string;
  electionName: string;
  electionDate: string;
  fromEmail: string;
  points: { title: string; body: string }[];
  askHourlyCap: number;
  wordingVariants: WordingVariant[];
  messagePrompts: string[];
  /** The review queue's thresholds; those left out keep their defaults (app/models/review.server.ts). */
  reviewRules?: Partial<ReviewRules>;
  /** The controller and DPO for the privacy notice; those left out are filled in (app/models/privacy.server.ts). */
  privacy?: Partial<PrivacyContacts>;
  /** How long personal data is kept; those left out keep their defaults (app/utils/retention.ts). */
  retention?: Partial<RetentionPeriods>;
};

// There is one campaign per installation; its row id is fixed.
const CAMPAIGN_ID = 1;

function prepareCampaignQueries() {
  return {
    campaign: db
      .select({
        name: campaigns.name,
        slug: campaigns.slug,
        summary: campaigns.summary,
        fromEmail: campaigns.fromEmail,
        askHourlyCap: campaigns.askHourlyCap,
        wordingVariants: campaigns.wordingVariants,
        messagePrompts: campaigns.messagePrompts,
        reviewRules: campaigns.reviewRules,
        privacy: campaigns.privacy,
        retention: campaigns.retention,
        electionId: campaigns.electionId,
        electionName: elections.name,
        electionDate: elections.date,
      })
      .from(campaigns)
      .innerJoin(elections, eq(elections.id, campaigns.electionId))
      .where(eq(campaigns.id, CAMPAIGN_ID))
      .prepare(),
    points: db
      .select({
        id: pledgePoints.id,
        position: pledgePoints.position,
        title: pledgePoints.title,
        body: pledgePoints.body,
        version: pledgePoints.version,
      })
      .from(pledgePoints)
      .where(eq(pledgePoints.campaignId, CAMPAIGN_ID))
      .orderBy(asc(pledgePoints.position))
      .prepare(),
  };
}

// Every page (the root loader) and every ask runs these, so they are prepared
// once (otherwise drizzle builds a query's SQL, and SQLite compiles it, on every call,
// several times a run's cost); on first use, because a fresh database has no
// tables until it is migrated.
let campaignQueries: ReturnType<typeof prepareCampaignQueries> | undefined;

/** The running campaign with its points in order, or undefined before set-up. */
export function findCampaign() {
  campaignQueries ??= prepareCampaignQueries();
  const campaign = campaignQueries.campaign.get();
  if (!campaign) return undefined;
  return { ...campaign, points: campaignQueries.points.all() };
}

/** The campaign, for work that cannot go on without one (sending an ask, recording a pledge). */
export function requireCampaign() {
  const campaign = findCampaign();
  if (!campaign) throw new Error("No campaign is set up: load data/campaign.json first");
  return campaign;
}

/** The settings as saved, shaped as campaign.json holds them; undefined before set-up. */
export function currentCampaignSettings(): CampaignSettings | undefined {
  const campaign = findCampaign();
  if (!campaign) return undefined;
  return {
    name: campaign.name,
    slug: campaign.slug,
    summary: campaign.summary,
    electionId: campaign.electionId,
    electionName: campaign.electionName,
    electionDate: campaign.electionDate,
    fromEmail: campaign.fromEmail,
    points: campaign.points.map((p) => ({ title: p.title, body: p.body })),
    askHourlyCap: campaign.askHourlyCap,
    wordingVariants: campaign.wordingVariants,
    messagePrompts: campaign.messagePrompts,
    reviewRules: campaign.reviewRules,
    privacy: campaign.privacy,
    retention: campaign.retention,
  };
}

/** A point whose words would change although candidates have answered it. */
export type AnsweredPointChange = { position: number; title: string; answered: number };

/**
 * The points (matched by position) whose title or body `points` would change
 * although candidates have already answered them, and how many candidates
 * answered any of them: their answers were given to the earlier words.
 */
export function findAnsweredPointChanges({ points }: { points: { title: string; body: string }[] }) {
  const current = findCampaign()?.points ?? [];
  const changedIds = current
    .filter((p) => {
      const next = points[p.position - 1];
      return next !== undefined && (next.title !== p.title || next.body !== p.body);
    })
    .map((p) => p.id);
  if (changedIds.length === 0) return { points: [], candidates: 0 };
  const answeredByPoint = new Map(
    db
      .select({ pointId: pledgePointAnswers.pointId, n: countDistinct(pledgePointAnswers.candidacyId) })
      .from(pledgePointAnswers)
      .where(inArray(pledgePointAnswers.pointId, changedIds))
      .groupBy(pledgePointAnswers.pointId)
      .all()
      .map((row) => [row.pointId, row.n]),
  );
  const candidates =
    db
      .select({ n: countDistinct(pledgePointAnswers.candidacyId) })
      .from(pledgePointAnswers)
      .where(inArray(pledgePointAnswers.pointId, changedIds))
      .get()?.n ?? 0;
  const changes: AnsweredPointChange[] = current
    .filter((p) => (answeredByPoint.get(p.id) ?? 0) > 0)
    .map((p) => ({ position: p.position, title: p.title, answered: answeredByPoint.get(p.id) ?? 0 }));
  return { points: changes, candidates };
}

// Which settings a save changes, for the audit log: top-level names, and each
// point's title or body by its number, since those are what candidates sign.
function changedFields(before: CampaignSettings | undefined, after: CampaignSettings) {
  if (!before) return ["created"];
  const changed: string[] = [];
  const keys = Object.keys(after) as (keyof CampaignSettings)[];
  for (const key of keys) {
    if (key === "points") continue;
    if (JSON.stringify(before[key] ?? {}) !== JSON.stringify(after[key] ?? {})) changed.push(key);
  }
  after.points.forEach((point, index) => {
    const was = before.points[index];
    if (was?.title !== point.title) changed.push(`points.${index + 1}.title`);
    if (was?.body !== point.body) changed.push(`points.${index + 1}.body`);
  });
  return changed;
}

export type SaveCampaignResult =
  | { outcome: "saved"; changed: string[]; versionId: number }
  | { outcome: "unchanged" }
  | { outcome: "needs-confirmation"; points: AnsweredPointChange[]; candidates: number };

/**
 * Writes the campaign settings (and its election) in one transaction, with a
 * saved version of the whole settings and an audit entry. Points are matched
 * by position; a point whose words change gets a new version, its earlier
 * words kept, so an answer is always shown against the words answered. Once
 * candidates have answered a point, changing its words is refused unless
 * `confirmPointChanges` says the person saving knows.
 */
export function saveCampaign({
  settings,
  savedBy,
  confirmPointChanges = false,
  now,
}: {
  settings: CampaignSettings;
  /** The staff member's email, or the command ("npm run campaign"). */
  savedBy: string;
  confirmPointChanges?: boolean;
  now: Date;
}): SaveCampaignResult {
  return writeTransaction(db, () => {
    const before = currentCampaignSettings();
    const answered = findAnsweredPointChanges({ points: settings.points });
    if (answered.points.length > 0 && !confirmPointChanges) return { outcome: "needs-confirmation", ...answered };
    const changed = changedFields(before, settings);
    if (changed.length === 0) return { outcome: "unchanged" };
    writeCampaign({ settings, now });
    const versionId = recordSettingsVersion({ savedBy, now });
    recordAudit({
      actor: savedBy,
      action: "settings.save",
      subject: "campaign",
      details: {
        changed,
        version: versionId,
        ...(answered.points.length > 0 ? { pointsChangedAfterAnswers: answered.points.map((p) => p.position) } : {}),
      },
      now,
    });
    return { outcome: "saved", changed, versionId };
  });
}

function writeCampaign({ settings, now }: { settings: CampaignSettings; now: Date }) {
  const at = now.toISOString();
  db.insert(elections)
    .values({
      id: settings.electionId,
      date: settings.electionDate,
      name: settings.electionName,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoUpdate({
      target: elections.id,
      set: { date: settings.electionDate, name: settings.electionName, updatedAt: at },
    })
    .run();
  const values = {
    slug: settings.slug,
    name: settings.name,
    summary: settings.summary,
    electionId: settings.electionId,
    fromEmail: settings.fromEmail,
    askHourlyCap: settings.askHourlyCap,
    wordingVariants: settings.wordingVariants,
    messagePrompts: settings.messagePrompts,
    reviewRules: settings.reviewRules ?? {},
    privacy: settings.privacy ?? {},
    retention: settings.retention ?? {},
    updatedAt: at,
  };
  db.insert(campaigns)
    .values({ id: CAMPAIGN_ID, ...values, createdAt: at })
    .onConflictDoUpdate({ target: campaigns.id, set: values })
    .run();
  settings.points.forEach((point, index) => {
    const position = index + 1;
    const existing = db
      .select({
        id: pledgePoints.id,
        title: pledgePoints.title,
        body: pledgePoints.body,
        version: pledgePoints.version,
      })
      .from(pledgePoints)
      .where(and(eq(pledgePoints.campaignId, CAMPAIGN_ID), eq(pledgePoints.position, position)))
      .get();
    if (existing && existing.title === point.title && existing.body === point.body) return;
    const version = existing ? existing.version + 1 : 1;
    const pointId = existing
      ? existing.id
      : db
          .insert(pledgePoints)
          .values({ campaignId: CAMPAIGN_ID, position, title: point.title, body: point.body, version })
          .returning({ id: pledgePoints.id })
          .get().id;
    if (existing)
      db.update(pledgePoints)
        .set({ title: point.title, body: point.body, version })
        .where(eq(pledgePoints.id, pointId))
        .run();
    db.insert(pledgePointVersions)
      .values({ pointId, version, title: point.title, body: point.body, createdAt: at })
      .run();
  });
}

/** Every saved version of the settings, newest first: who saved it and when. */
export function listSettingsVersions() {
  return db
    .select({
      id: campaignSettingsVersions.id,
      savedBy: campaignSettingsVersions.savedBy,
      createdAt: campaignSettingsVersions.createdAt,
    })
    .from(campaignSettingsVersions)
    .orderBy(desc(campaignSettingsVersions.id))
    .all();
}

/** One saved version of the settings, whole. */
export function findSettingsVersion({ id }: { id: number }) {
  return db
    .select({
      id: campaignSettingsVersions.id,
      settings: campaignSettingsVersions.settings,
      savedBy: campaignSettingsVersions.savedBy,
      createdAt: campaignSettingsVersions.createdAt,
    })
    .from(campaignSettingsVersions)
    .where(eq(campaignSettingsVersions.id, id))
    .get();
}

/**
 * Keeps the settings as they now are as a saved version. Call inside the
 * write transaction of a change made elsewhere (the review thresholds).
 */
export function recordSettingsVersion({ savedBy, now }: { savedBy: string; now: Date }) {
  return db
    .insert(campaignSettingsVersions)
    .values({ settings: currentCampaignSettings() ?? {}, savedBy, createdAt: now.toISOString() })
    .returning({ id: campaignSettingsVersions.id })
    .get().id;
}

/**
 * What settings not yet saved would look like: the home page's campaign text,
 * and the ask mail in each wording as a candidate would get it, from an
 * invented supporter to an invented candidate.
 */
export function previewCampaign({ settings }: { settings: CampaignSettings }) {
  return {
    home: {
      name: settings.name,
      summary: settings.summary,
      electionName: settings.electionName,
      points: settings.points,
    },
    mails: settings.wordingVariants.map((wording) => ({
      label: wording.label,
      from: `${settings.name} <${settings.fromEmail}>`,
      ...candidateAskMail({
        campaign: settings,
        wording,
        candidateName: "Alex Example",
        constituencyName: "Anytown North",
        supporterName: "Sam Supporter",
        postcode: "AB1 2CD",
        personalMessage: "This matters to me and to my neighbours.",
        pledgeUrl: publicUrl(paths.signPledge("example-link")),
        publicUrl: env.PUBLIC_URL,
      }),
    })),
  };
}
