import { asc, eq } from "drizzle-orm";
import { campaigns, elections, pledgePoints, type ReviewRules, type WordingVariant } from "#db/schema";
import { db } from "~/utils/db.server";

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

/** Writes the campaign settings (and its election) in one go. Points are matched by position. */
export function saveCampaign({ settings, now }: { settings: CampaignSettings; now: Date }) {
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
    updatedAt: at,
  };
  db.insert(campaigns)
    .values({ id: CAMPAIGN_ID, ...values, createdAt: at })
    .onConflictDoUpdate({ target: campaigns.id, set: values })
    .run();
  settings.points.forEach((point, index) => {
    db.insert(pledgePoints)
      .values({ campaignId: CAMPAIGN_ID, position: index + 1, title: point.title, body: point.body })
      .onConflictDoUpdate({
        target: [pledgePoints.campaignId, pledgePoints.position],
        set: { title: point.title, body: point.body },
      })
      .run();
  });
}
