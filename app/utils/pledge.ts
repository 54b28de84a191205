import { shortDate } from "./names";

/** The longest public statement a candidate can give with their answers. */
export const STATEMENT_MAX = 1_000;

// A candidacy's pledge status, as the board, the map and the open data show it.
export const pledgeStatuses = ["signed-all", "signed-some", "declined", "no-answer", "withdrawn"] as const;
export type PledgeStatus = (typeof pledgeStatuses)[number];

// The words for the statuses, wherever a page, the map or a file's
// documentation names one. "Signed" alone always means signed every point;
// a candidate who signed only part of the pledge "signed some points".
export const pledgeStatusLabels: Record<PledgeStatus, string> = {
  "signed-all": "Signed every point",
  "signed-some": "Signed some points",
  declined: "Declined",
  "no-answer": "No answer yet",
  withdrawn: "Withdrawn",
};

/** The words for how we know a pledge is the candidate's, wherever one is shown. */
export const trustMarkLabels = {
  "verified-by-email": "Verified by email",
  "recorded-by-campaign": "Recorded by the campaign",
} as const;
type TrustMarkKey = keyof typeof trustMarkLabels;

/**
 * "Verified by email, 3 Jun 2024": a board or constituency row's trust mark
 * and the day its pledge last changed, so a reader of a list can tell a
 * signed link from a pledge the campaign recorded without opening each
 * candidate. Null until the candidate has answered a point: a recorded
 * pledge withdrawn to "not answered" vouches for nothing.
 */
export function trustMarkNote({
  trustMark,
  updatedAt,
  answered,
}: {
  trustMark: TrustMarkKey | null;
  updatedAt: string | null;
  answered: boolean;
}): string | null {
  if (!trustMark || !answered) return null;
  return updatedAt ? `${trustMarkLabels[trustMark]}, ${shortDate(updatedAt)}` : trustMarkLabels[trustMark];
}

/** The words for one point's answer, on the candidate page, the signing form and the candidate's mail. */
export function pointAnswerLabel(answer: "signed" | "declined" | null | undefined): string {
  if (answer === "signed") return "Signed";
  if (answer === "declined") return "Declined";
  return "Not answered yet";
}

/** A heading over a count of candidates who signed every point, of one party or of all. */
export function candidatesWhoSignedLabel(partyName?: string): string {
  return partyName ? `${partyName} candidates who signed every point` : "Candidates who signed every point";
}

/**
 * Whether a candidacy's answers sign every point of the campaign. A campaign
 * with no points has nothing to sign, so no one has signed all of it. Read by
 * pledgeStatusOf for "signed-all", and on its own where a withdrawn
 * candidacy's answers matter (an ask mail is never sent to a candidate who
 * signed every point, standing or not).
 */
export function signedEveryPoint({ signed, pointCount }: { signed: number; pointCount: number }): boolean {
  return pointCount > 0 && signed >= pointCount;
}

export function pledgeStatusOf({
  standing,
  signed,
  declined,
  pointCount,
}: {
  standing: boolean;
  signed: number;
  declined: number;
  pointCount: number;
}): PledgeStatus {
  if (!standing) return "withdrawn";
  if (signedEveryPoint({ signed, pointCount })) return "signed-all";
  if (signed > 0) return "signed-some";
  if (declined > 0) return "declined";
  return "no-answer";
}

// A constituency takes the best status among its standing candidates.
const rank: Record<PledgeStatus, number> = {
  "signed-all": 0,
  "signed-some": 1,
  declined: 2,
  "no-answer": 3,
  withdrawn: 4,
};

export function bestPledgeStatus(statuses: PledgeStatus[]): PledgeStatus {
  return statuses.reduce<PledgeStatus>((best, s) => (rank[s] < rank[best] ? s : best), "withdrawn");
}

/** One point of one pledge history entry, in the words that entry answered. */
export type HistoryPoint = {
  pointId: number;
  /** Its number among the campaign's points today; null for a point the campaign has removed. */
  number: number | null;
  title: string;
  answer: "signed" | "declined" | null;
  /** Answered, and the campaign has changed the point's words since. */
  wordsChangedSince: boolean;
};
