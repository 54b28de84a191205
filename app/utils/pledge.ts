/** The longest public statement a candidate can give with their answers. */
export const STATEMENT_MAX = 1_000;

// A candidacy's pledge status, as the board, the map and the open data show it.
export const pledgeStatuses = ["signed-all", "signed-some", "declined", "no-answer", "withdrawn"] as const;
export type PledgeStatus = (typeof pledgeStatuses)[number];

export const pledgeStatusLabels: Record<PledgeStatus, string> = {
  "signed-all": "Signed every point",
  "signed-some": "Signed some points",
  declined: "Declined",
  "no-answer": "No answer yet",
  withdrawn: "Withdrawn",
};

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
  if (pointCount > 0 && signed >= pointCount) return "signed-all";
  if (signed > 0) return "signed-some";
  if (declined > 0) return "declined";
  return "no-answer";
}

// A constituency takes the best status among its standing candidates.
const rank: Record<PledgeStatus, number> = { "signed-all": 0, "signed-some": 1, declined: 2, "no-answer": 3, withdrawn: 4 };

export function bestPledgeStatus(statuses: PledgeStatus[]): PledgeStatus {
  return statuses.reduce<PledgeStatus>((best, s) => (rank[s] < rank[best] ? s : best), "withdrawn");
}
