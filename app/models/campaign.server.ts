import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { writeTransaction, preparedPerConnection } from "#db/index";
import {
  campaignSettingsVersions,
  campaigns,
  candidacies,
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
import { withoutNul } from "~/utils/fields";
import { env, publicUrl } from "~/utils/env.server";
import { paths } from "~/utils/paths";
import { pledgeStatusOf, type PledgeStatus } from "~/utils/pledge";

export type CampaignSettings = {
  name: string;
  slug: string;
  summary: string;
  electionId: string;
  electionName: string;
  electionDate: string;
  fromEmail: string;
  points: CampaignPoint[];
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

/** A point of the settings; `id` (from the console) names the point it is, and none a point being added. */
type CampaignPoint = { id?: number; title: string; body: string };

/** How saved points are matched to today's: by id (the console) or by position (campaign.json). */
type MatchPoints = "by-id" | "by-position";

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
      .where(and(eq(pledgePoints.campaignId, CAMPAIGN_ID), isNull(pledgePoints.retiredAt)))
      .orderBy(asc(pledgePoints.position))
      .prepare(),
  };
}

// Every page (the root loader) and every ask runs these, so they are prepared
// once (otherwise drizzle builds a query's SQL, and SQLite compiles it, on every call,
// several times a run's cost); on first use, because a fresh database has no
// tables until it is migrated.
const campaignQueries = preparedPerConnection(db, prepareCampaignQueries);

/** The running campaign with its points in order, or undefined before set-up. */
export async function findCampaign() {
  const [campaign] = await campaignQueries().campaign.execute();
  if (!campaign) return undefined;
  return { ...campaign, points: await campaignQueries().points.execute() };
}

/** The campaign, for work that cannot go on without one (sending an ask, recording a pledge). */
export async function requireCampaign() {
  const campaign = await findCampaign();
  if (!campaign) throw new Error("No campaign is set up: load data/campaign.json first");
  return campaign;
}

/** The settings as saved, shaped as campaign.json holds them; undefined before set-up. */
export async function currentCampaignSettings(): Promise<CampaignSettings | undefined> {
  const campaign = await findCampaign();
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

/** How many candidates a change to the set of points moves from one status to another. */
export type StatusChange = { from: PledgeStatus; to: PledgeStatus; candidates: number };

/**
 * What saving `points` would do to the campaign's points. A point with an id
 * is that point (the console carries ids); `matchPoints: "by-position"`
 * (campaign.json, which has none) takes the nth point to be today's nth.
 * Today's points missing from `points` would be retired.
 */
export type PointPlan = {
  /** The points in their new order, each with the id of the point it is, if any. */
  points: { id: number | undefined; title: string; body: string }[];
  /** Points whose words change although candidates answered them, and how many candidates answered any. */
  answered: { points: AnsweredPointChange[]; candidates: number };
  added: number;
  removed: { position: number; title: string }[];
  /** Whose status moves when points are added or removed, once anyone has answered. */
  statusChanges: StatusChange[];
  /** Points are added or removed after candidates answered: who has "signed every point" changes. */
  setChangedAfterAnswers: boolean;
  needsConfirmation: boolean;
};

/** Thrown when the console names a point that is not one of the campaign's (removed by someone else meanwhile). */
export class UnknownPoint extends Error {}

export async function planPointChanges({
  points,
  matchPoints = "by-position",
}: {
  points: CampaignPoint[];
  matchPoints?: MatchPoints;
}): Promise<PointPlan> {
  const current = (await findCampaign())?.points ?? [];
  const byId = new Map(current.map((p) => [p.id, p]));
  const planned = points.map((point, index) => {
    const id = matchPoints === "by-position" ? current[index]?.id : point.id;
    if (id !== undefined && !byId.has(id)) throw new UnknownPoint(`Point ${id} is not one of the campaign's points`);
    return { id, title: point.title, body: point.body };
  });
  const keptIds = new Set(planned.flatMap((p) => (p.id === undefined ? [] : [p.id])));
  if (keptIds.size !== planned.filter((p) => p.id !== undefined).length)
    throw new UnknownPoint("A point is named twice");
  const removed = current.filter((p) => !keptIds.has(p.id));
  const added = planned.filter((p) => p.id === undefined).length;
  const rewordedIds = planned
    .filter((p) => p.id !== undefined && (byId.get(p.id)?.title !== p.title || byId.get(p.id)?.body !== p.body))
    .map((p) => p.id as number);

  const answers = await currentAnswers();
  const answeredCount = (ids: number[]) =>
    new Set(answers.filter((a) => ids.includes(a.pointId)).map((a) => a.candidacyId)).size;
  const answeredPoints: AnsweredPointChange[] = current
    .filter((p) => rewordedIds.includes(p.id))
    .map((p) => ({ position: p.position, title: p.title, answered: answeredCount([p.id]) }))
    .filter((p) => p.answered > 0);
  const setChangedAfterAnswers = (added > 0 || removed.length > 0) && answers.length > 0;
  const statusChanges = setChangedAfterAnswers
    ? countStatusChanges({
        answers,
        before: current.map((p) => p.id),
        after: [...keptIds],
        afterCount: planned.length,
      })
    : [];
  return {
    points: planned,
    answered: { points: answeredPoints, candidates: answeredCount(answeredPoints.length > 0 ? rewordedIds : []) },
    added,
    removed: removed.map((p) => ({ position: p.position, title: p.title })),
    statusChanges,
    setChangedAfterAnswers,
    needsConfirmation: answeredPoints.length > 0 || setChangedAfterAnswers,
  };
}

// Every answer to one of the campaign's points by a candidacy of its election.
async function currentAnswers() {
  const campaign = await findCampaign();
  if (!campaign || campaign.points.length === 0) return [];
  return await db
    .select({
      candidacyId: pledgePointAnswers.candidacyId,
      pointId: pledgePointAnswers.pointId,
      answer: pledgePointAnswers.answer,
      standing: sql<boolean>`${candidacies.status} = 'standing'`.mapWith(Boolean),
    })
    .from(pledgePointAnswers)
    .innerJoin(candidacies, eq(candidacies.id, pledgePointAnswers.candidacyId))
    .where(
      and(
        eq(candidacies.electionId, campaign.electionId),
        inArray(
          pledgePointAnswers.pointId,
          campaign.points.map((p) => p.id),
        ),
      ),
    );
}

// Each candidacy's status counted against the points before and after, by
// the same rule as every page (pledgeStatusOf); only the moves are kept.
function countStatusChanges({
  answers,
  before,
  after,
  afterCount,
}: {
  answers: Awaited<ReturnType<typeof currentAnswers>>;
  before: number[];
  after: number[];
  afterCount: number;
}): StatusChange[] {
  const byCandidacy = new Map<number, { standing: boolean; answers: Map<number, string> }>();
  for (const row of answers) {
    const entry = byCandidacy.get(row.candidacyId) ?? { standing: row.standing, answers: new Map() };
    entry.answers.set(row.pointId, row.answer);
    byCandidacy.set(row.candidacyId, entry);
  }
  const statusOf = (entry: { standing: boolean; answers: Map<number, string> }, ids: number[], pointCount: number) =>
    pledgeStatusOf({
      standing: entry.standing,
      signed: ids.filter((id) => entry.answers.get(id) === "signed").length,
      declined: ids.filter((id) => entry.answers.get(id) === "declined").length,
      pointCount,
    });
  const moves = new Map<string, StatusChange>();
  for (const entry of byCandidacy.values()) {
    const from = statusOf(entry, before, before.length);
    const to = statusOf(entry, after, afterCount);
    if (from === to) continue;
    const key = `${from}>${to}`;
    const move = moves.get(key) ?? { from, to, candidates: 0 };
    move.candidates++;
    moves.set(key, move);
  }
  return [...moves.values()];
}

// Which settings a save changes, for the audit log: top-level names, and each
// point by its new number (added, or its title or body), since those are what
// candidates sign; removals and a new order are named once.
async function changedFields(before: CampaignSettings | undefined, after: CampaignSettings, plan: PointPlan) {
  if (!before) return ["created"];
  const changed: string[] = [];
  const keys = Object.keys(after) as (keyof CampaignSettings)[];
  for (const key of keys) {
    if (key === "points") continue;
    if (JSON.stringify(before[key] ?? {}) !== JSON.stringify(after[key] ?? {})) changed.push(key);
  }
  const current = (await findCampaign())?.points ?? [];
  const byId = new Map(current.map((p) => [p.id, p]));
  plan.points.forEach((point, index) => {
    const was = point.id === undefined ? undefined : byId.get(point.id);
    if (!was) {
      changed.push(`points.${index + 1}.added`);
      return;
    }
    if (was.title !== point.title) changed.push(`points.${index + 1}.title`);
    if (was.body !== point.body) changed.push(`points.${index + 1}.body`);
  });
  if (plan.removed.length > 0) changed.push("points.removed");
  const keptOrder = plan.points.flatMap((p) => (p.id === undefined ? [] : [p.id]));
  const wasOrder = current.map((p) => p.id).filter((id) => keptOrder.includes(id));
  if (keptOrder.some((id, i) => wasOrder[i] !== id)) changed.push("points.order");
  return changed;
}

export type SaveCampaignResult =
  | { outcome: "saved"; changed: string[]; versionId: number }
  | { outcome: "unchanged" }
  | ({ outcome: "needs-confirmation" } & Pick<
      PointPlan,
      "answered" | "added" | "removed" | "statusChanges" | "setChangedAfterAnswers"
    >);

/**
 * Writes the campaign settings (and its election) in one transaction, with a
 * saved version of the whole settings and an audit entry. Points are matched
 * as planPointChanges says; a point whose words change gets a new version,
 * its earlier words kept, so an answer is always shown against the words
 * answered; a point left out is retired, its answers and history kept. Once
 * candidates have answered, changing an answered point's words, or adding or
 * removing a point (which changes who has signed every point), is refused
 * unless `confirmPointChanges` says the person saving knows.
 */
export async function saveCampaign({
  settings: given,
  matchPoints = "by-position",
  savedBy,
  confirmPointChanges = false,
  now,
}: {
  settings: CampaignSettings;
  matchPoints?: MatchPoints;
  /** The staff member's email, or the command ("npm run campaign"). */
  savedBy: string;
  confirmPointChanges?: boolean;
  now: Date;
}): Promise<SaveCampaignResult> {
  const settings = withoutNul(given);
  return writeTransaction(db, async () => {
    const before = await currentCampaignSettings();
    const plan = await planPointChanges({ points: settings.points, matchPoints });
    if (plan.needsConfirmation && !confirmPointChanges) {
      const { answered, added, removed, statusChanges, setChangedAfterAnswers } = plan;
      return { outcome: "needs-confirmation", answered, added, removed, statusChanges, setChangedAfterAnswers };
    }
    const changed = await changedFields(before, settings, plan);
    if (changed.length === 0) return { outcome: "unchanged" };
    await writeCampaign({ settings, now });
    await writePoints({ plan, now });
    const versionId = await recordSettingsVersion({ savedBy, now });
    await recordAudit({
      actor: savedBy,
      action: "settings.save",
      subject: "campaign",
      details: {
        changed,
        version: versionId,
        ...(plan.answered.points.length > 0
          ? { pointsChangedAfterAnswers: plan.answered.points.map((p) => p.position) }
          : {}),
        ...(plan.removed.length > 0 ? { pointsRemoved: plan.removed } : {}),
        ...(plan.setChangedAfterAnswers ? { statusChanges: plan.statusChanges } : {}),
      },
      now,
    });
    return { outcome: "saved", changed, versionId };
  });
}

async function writeCampaign({ settings, now }: { settings: CampaignSettings; now: Date }) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    await db
      .insert(elections)
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
      });
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
    await db
      .insert(campaigns)
      .values({ id: CAMPAIGN_ID, ...values, createdAt: at })
      .onConflictDoUpdate({ target: campaigns.id, set: values });
  });
}

async function writePoints({ plan, now }: { plan: PointPlan; now: Date }) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    const current = new Map(((await findCampaign())?.points ?? []).map((p) => [p.id, p]));
    const kept = new Set(plan.points.flatMap((p) => (p.id === undefined ? [] : [p.id])));
    for (const id of current.keys()) {
      if (!kept.has(id)) await db.update(pledgePoints).set({ retiredAt: at }).where(eq(pledgePoints.id, id));
    }
    // Positions are unique among the current points at every statement, so the
    // kept points step aside (to negative positions) before taking their new ones.
    for (const id of kept) await db.update(pledgePoints).set({ position: -id }).where(eq(pledgePoints.id, id));
    for (const [index, point] of plan.points.entries()) {
      const position = index + 1;
      const existing = point.id === undefined ? undefined : current.get(point.id);
      if (existing && existing.title === point.title && existing.body === point.body) {
        await db.update(pledgePoints).set({ position }).where(eq(pledgePoints.id, existing.id));
        continue;
      }
      const version = existing ? existing.version + 1 : 1;
      const pointId = existing
        ? existing.id
        : (
            await db
              .insert(pledgePoints)
              .values({ campaignId: CAMPAIGN_ID, position, title: point.title, body: point.body, version })
              .returning({ id: pledgePoints.id })
          )[0]!.id;
      if (existing)
        await db
          .update(pledgePoints)
          .set({ position, title: point.title, body: point.body, version })
          .where(eq(pledgePoints.id, pointId));
      await db
        .insert(pledgePointVersions)
        .values({ pointId, version, title: point.title, body: point.body, createdAt: at });
    }
  });
}

/** Every saved version of the settings, newest first: who saved it and when. */
export async function listSettingsVersions() {
  return await db
    .select({
      id: campaignSettingsVersions.id,
      savedBy: campaignSettingsVersions.savedBy,
      createdAt: campaignSettingsVersions.createdAt,
    })
    .from(campaignSettingsVersions)
    .orderBy(desc(campaignSettingsVersions.id));
}

/** One saved version of the settings, whole. */
export async function findSettingsVersion({ id }: { id: number }) {
  return (
    await db
      .select({
        id: campaignSettingsVersions.id,
        settings: campaignSettingsVersions.settings,
        savedBy: campaignSettingsVersions.savedBy,
        createdAt: campaignSettingsVersions.createdAt,
      })
      .from(campaignSettingsVersions)
      .where(eq(campaignSettingsVersions.id, id))
      .limit(1)
  )[0];
}

/**
 * Keeps the settings as they now are as a saved version. Call inside the
 * write transaction of a change made elsewhere (the review thresholds).
 */
export async function recordSettingsVersion({ savedBy, now }: { savedBy: string; now: Date }) {
  return writeTransaction(db, async () => {
    return (
      await db
        .insert(campaignSettingsVersions)
        .values({ settings: (await currentCampaignSettings()) ?? {}, savedBy, createdAt: now.toISOString() })
        .returning({ id: campaignSettingsVersions.id })
    )[0]!.id;
  });
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
