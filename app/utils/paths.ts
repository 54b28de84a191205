// Every path of the public site, in one place: pages, models (which put links
// in mails) and the log redaction all build links from here, so a route that
// moves is changed once.

export const paths = {
  home: "/",
  find: "/find",
  constituencies: "/constituencies",
  constituency: (slug: string) => `/constituencies/${slug}`,
  ask: (slug: string) => `/constituencies/${slug}/ask`,
  candidate: (personId: string) => `/candidates/${personId}`,
  candidateCorrection: (personId: string) => `/candidates/${personId}/correction`,
  candidateCorrectionSent: (personId: string) => `/candidates/${personId}/correction/thank-you`,
  board: "/board",
  map: "/map",
  mapTable: "/map/table",
  mapTooltips: "/map/tooltips.json",
  data: "/data",
  privacy: "/privacy",
  checkYourEmail: "/asks/check-your-email",
  thankYou: "/asks/thank-you",
  confirmAsk: (token: string) => `/asks/confirm/${token}`,
  signPledge: (token: string) => `/pledge/sign/${token}`,
  yourData: (token: string) => `/your-data/${token}`,
  yourDataDelete: (token: string) => `/your-data/${token}?confirm=delete`,
  unsubscribe: (token: string) => `/your-data/${token}/unsubscribe`,
  yourDataDeleted: "/your-data-deleted",
  outbox: "/outbox",
  outboxMessage: (id: number) => `/outbox/${id}`,
  staff: "/staff",
  staffSignIn: "/staff/sign-in",
  staffSignInCode: "/staff/sign-in/code",
  staffSignOut: "/staff/sign-out",
  staffSetUp: (token: string) => `/staff/set-up/${token}`,
  staffReview: "/staff/review",
  staffReviewAsk: (id: number) => `/staff/review/${id}`,
  staffBlockList: "/staff/block-list",
  staffPublicList: "/staff/public-list",
  staffCorrections: "/staff/corrections",
  staffOutbox: "/staff/outbox",
  staffOutboxMessage: (id: number) => `/staff/outbox/${id}`,
  staffAudit: "/staff/audit",
  staffSupporters: "/staff/supporters",
  staffSupportersCsv: "/staff/supporters.csv",
  staffPeople: "/staff/people",
  staffPeopleJson: "/staff/people.json",
  staffAccounts: "/staff/accounts",
  staffSettings: "/staff/settings",
  staffSettingsCampaign: "/staff/settings/campaign",
  staffSettingsPrivacy: "/staff/settings/privacy",
  staffSettingsConsents: "/staff/settings/consents",
  staffSettingsVersions: "/staff/settings/versions",
  staffSettingsVersion: (id: number) => `/staff/settings/versions/${id}`,
  staffCandidates: "/staff/candidates",
  staffCandidate: (personId: string) => `/staff/candidates/${personId}`,
  staffCandidatePledge: (personId: string) => `/staff/candidates/${personId}/pledge`,
  staffImports: "/staff/imports",
  staffImportJob: (id: number) => `/staff/imports/${id}`,
} as const;

/** The paths whose last segment is a secret token (for redaction and referrer rules). */
export const tokenPathPrefixes = [
  paths.confirmAsk(""),
  paths.signPledge(""),
  paths.staffSetUp(""),
  paths.yourData(""),
] as const;

/** A path with a query string, leaving out empty values (spaces as %20, as links have always had them). */
export function withQuery(path: string, query: Record<string, string | undefined | null>) {
  const pairs = Object.entries(query).filter((pair): pair is [string, string] => Boolean(pair[1]));
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&")}`;
}
