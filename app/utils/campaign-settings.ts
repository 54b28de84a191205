// The campaign's settings (name, wording, the points, sender address, hourly
// cap, privacy contacts and retention), checked by one schema wherever they are set: campaign.json (npm run
// campaign) and the console's settings page. Client-safe: zod only.
import { z } from "zod";
import { electionId, emailAddress } from "./fields";
import { pledgeStatusLabels, type PledgeStatus } from "./pledge";
import { privacyContactsSchema } from "./privacy-contacts";
import { retentionSchema } from "./retention";
import { reviewRulesSchema } from "./review-rules";

const text = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`);

/** The most points a campaign asks candidates to sign. */
export const MAX_POINTS = 10;

const point = z.object({ title: text("the point's title"), body: text("what the point means") });

function pointsOf<T extends z.ZodType>(schema: T) {
  return z.array(schema).min(1, "must have at least 1 point").max(MAX_POINTS, `must have at most ${MAX_POINTS} points`);
}

const slug = z.string().regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and hyphens");

export const campaignSchema = z.object({
  name: text("the campaign's name"),
  slug,
  summary: text("a summary of the campaign"),
  electionId,
  electionName: text("the election's name"),
  electionDate: z.iso.date(),
  fromEmail: emailAddress("Enter the sender's email address in the correct format, like name@example.org"),
  points: pointsOf(point),
  askHourlyCap: z
    .number({ error: "Enter the hourly cap as a whole number" })
    .int("Enter the hourly cap as a whole number")
    .min(1, "Enter an hourly cap of 1 or more")
    .default(20),
  wordingVariants: z
    .array(
      z.object({
        id: slug,
        label: text("the wording's label"),
        opening: text("the wording's opening"),
        closing: text("the wording's closing"),
      }),
    )
    .min(1, "must have at least 1 wording")
    // An ask records its wording by id, so two wordings may not share one.
    .superRefine((wordings, ctx) => {
      const seen = new Set<string>();
      wordings.forEach((wording, i) => {
        if (seen.has(wording.id))
          ctx.addIssue({ code: "custom", path: [i, "id"], message: "must differ from every other wording's id" });
        seen.add(wording.id);
      });
    }),
  messagePrompts: z.array(text("the prompt, or remove its line")).default([]),
  reviewRules: reviewRulesSchema.partial().default({}),
  // Left out, the privacy notice names the campaign and its sender address
  // (app/models/privacy.server.ts), and the retention periods are the defaults.
  privacy: privacyContactsSchema.partial().default({}),
  retention: retentionSchema.partial().default({}),
});

// The console carries each point's id (none for a point being added), so a
// point is matched by identity: removing point 2 of 4 is a removal, not new
// words for points 2 and 3. campaign.json has no ids and is matched by position.
export const consoleCampaignSchema = campaignSchema.extend({
  points: pointsOf(point.extend({ id: z.number().int().positive().optional() })),
});

/** "12 candidates shown as “Signed every point” will show as “Signed some points”": what adding or removing a point does. */
export function describeStatusChange({
  from,
  to,
  candidates,
}: {
  from: PledgeStatus;
  to: PledgeStatus;
  candidates: number;
}) {
  return `${candidates} candidate${candidates === 1 ? "" : "s"} shown as “${pledgeStatusLabels[from]}” will show as “${pledgeStatusLabels[to]}”`;
}
