// Campaign settings (name, wording, the points) from a JSON file: read,
// checked and saved like every other import, with the file and field of each
// problem.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { writeTransaction } from "#db/index";
import { saveCampaign, type CampaignSettings } from "~/models/campaign.server";
import { db } from "~/utils/db.server";
import { electionId, emailAddress } from "~/utils/fields";
import { reviewRulesSchema } from "~/utils/review-rules";
import { ImportFailed } from "./problems";

const campaignSchema = z.object({
  name: z.string().trim().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  summary: z.string().trim().min(1),
  electionId,
  electionName: z.string().trim().min(1),
  electionDate: z.iso.date(),
  fromEmail: emailAddress(),
  points: z
    .array(z.object({ title: z.string().trim().min(1), body: z.string().trim().min(1) }))
    .min(1)
    .max(10),
  askHourlyCap: z.number().int().min(1).default(20),
  wordingVariants: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        label: z.string().trim().min(1),
        opening: z.string().trim().min(1),
        closing: z.string().trim().min(1),
      }),
    )
    .min(1),
  messagePrompts: z.array(z.string().trim().min(1)).default([]),
  reviewRules: reviewRulesSchema.partial().default({}),
}) satisfies z.ZodType<CampaignSettings>;

/** Reads and checks campaign settings (name, wording, the points) from a JSON file. */
function readCampaignSettings(path: string): CampaignSettings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ImportFailed([{ file: path, message: `cannot read campaign settings: ${String(error)}` }]);
  }
  const parsed = campaignSchema.safeParse(json);
  if (!parsed.success) {
    throw new ImportFailed(
      parsed.error.issues.map((i) => ({ file: path, column: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

export function loadCampaignSettings({ path, now = new Date() }: { path: string; now?: Date }) {
  const settings = readCampaignSettings(path);
  writeTransaction(db, () => saveCampaign({ settings, now }));
  return settings;
}
