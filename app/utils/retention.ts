// How long personal data is kept, checked the same way wherever it is set:
// campaign.json (npm run campaign) and the console's privacy settings page.
// Client-safe: zod only.
import { z } from "zod";

/** The periods a campaign starts with: what a DPO would accept, and what the privacy notice states. */
export const defaultRetention = { askDaysAfterPollingDay: 90, clientDataHours: 24, mailboxDays: 7 };

// Client-address hashes and rate-limit counters share one period, and the
// longest rate-limit window is a day (app/models/rate-limit.server.ts;
// tests/integration/retention-jobs.test.ts keeps the two in step): clearing sooner would
// reopen a window that is still shut.
export const minClientDataHours = 24;

const wholeNumber = (what: string, min: number, max: number, unit: string) =>
  z.coerce
    .number({ error: `Enter ${what} as a whole number` })
    .int(`Enter ${what} as a whole number`)
    .min(min, `Enter ${min} ${unit} or more for ${what}`)
    .max(max, `Enter ${max} ${unit} or fewer for ${what}`);

export const retentionSchema = z.strictObject({
  askDaysAfterPollingDay: wholeNumber("how long to keep asks after polling day", 1, 3650, "days"),
  clientDataHours: wholeNumber("how long to keep client-address data", minClientDataHours, 24 * 90, "hours"),
  mailboxDays: wholeNumber("how long to keep the local mailbox", 1, 365, "days"),
});
