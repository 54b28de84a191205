// What every mail's wording shares: its shape and its signature. This room is
// pure (no database, no app imports), so a mail can be read and tested alone.

export type Mail = { subject: string; textBody: string };

// paths.privacy: mail wording imports nothing of the app, so the path is
// repeated here and tests/unit/mail-privacy-link.test.ts checks the two agree.
const privacyPath = "/privacy";

/**
 * The signature of every mail. A supporter's mail passes its "manage my data"
 * link (their own, with a token), so every one of them says how to stop
 * updates, leave the public list or be deleted; candidates' mails have none.
 */
export function footer(campaign: { name: string }, publicUrl: string, manageUrl?: string) {
  return [
    "--",
    campaign.name,
    publicUrl,
    `How we use your data: ${publicUrl}${privacyPath}`,
    ...(manageUrl ? [`Stop updates, leave the public list or delete your data: ${manageUrl}`] : []),
  ].join("\n");
}
