// What every mail's wording shares: its shape and its signature. This room is
// pure (no database, no app imports), so a mail can be read and tested alone.

export type Mail = { subject: string; textBody: string };

export const footer = (campaign: { name: string }, publicUrl: string) => `--\n${campaign.name}\n${publicUrl}`;
