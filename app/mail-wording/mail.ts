// What every mail's wording shares: its shape and its signature. This room is
// pure (no database, no app imports), so a mail can be read and tested alone.

export type Mail = { subject: string; textBody: string };

// paths.privacy: mail wording imports nothing of the app, so the path is
// repeated here and tests/unit/mail-privacy-link.test.ts checks the two agree.
const privacyPath = "/privacy";

export const footer = (campaign: { name: string }, publicUrl: string) =>
  `--\n${campaign.name}\n${publicUrl}\nHow we use your data: ${publicUrl}${privacyPath}`;
