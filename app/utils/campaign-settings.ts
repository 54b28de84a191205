// The campaign's settings (name, wording, the points, sender address, hourly
// cap, privacy contacts and retention), checked by one schema wherever they are set: campaign.json (npm run
// campaign) and the console's settings page. Client-safe: zod only.
import { z } from "zod";
import { electionId, emailAddress } from "./fields";
import { privacyContactsSchema } from "./privacy-contacts";
import { retentionSchema } from "./retention";
import { reviewRulesSchema } from "./review-rules";

const text = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`);

export const campaignSchema = z.object({
  name: text("the campaign's name"),
  slug: z.string().regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and hyphens"),
  summary: text("a summary of the campaign"),
  electionId,
  electionName: text("the election's name"),
  electionDate: z.iso.date(),
  fromEmail: emailAddress("Enter the sender's email address in the correct format, like name@example.org"),
  points: z
    .array(z.object({ title: text("the point's title"), body: text("what the point means") }))
    .min(1, "must have at least 1 point")
    .max(10, "must have at most 10 points"),
  askHourlyCap: z
    .number({ error: "Enter the hourly cap as a whole number" })
    .int("Enter the hourly cap as a whole number")
    .min(1, "Enter an hourly cap of 1 or more")
    .default(20),
  wordingVariants: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and hyphens"),
        label: text("the wording's label"),
        opening: text("the wording's opening"),
        closing: text("the wording's closing"),
      }),
    )
    .min(1, "must have at least 1 wording"),
  messagePrompts: z.array(text("the prompt, or remove its line")).default([]),
  reviewRules: reviewRulesSchema.partial().default({}),
  // Left out, the privacy notice names the campaign and its sender address
  // (app/models/privacy.server.ts), and the retention periods are the defaults.
  privacy: privacyContactsSchema.partial().default({}),
  retention: retentionSchema.partial().default({}),
});
