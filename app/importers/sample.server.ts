import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeTransaction } from "#db/index";
import { saveCampaign, type CampaignSettings } from "~/models/campaign.server";
import { countConstituencies } from "~/models/constituency.server";
import { db } from "~/utils/db.server";
import { runImport, type ImportResult } from "./import.server";
import { ImportFailed } from "./problems";

const campaignSchema = z.object({
  name: z.string().trim().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  summary: z.string().trim().min(1),
  electionId: z.string().regex(/^[a-z]+(\.[a-z0-9-]+)*\.\d{4}-\d{2}-\d{2}$/),
  electionName: z.string().trim().min(1),
  electionDate: z.iso.date(),
  fromEmail: z.email(),
  points: z.array(z.object({ title: z.string().trim().min(1), body: z.string().trim().min(1) })).min(1).max(10),
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
}) satisfies z.ZodType<CampaignSettings>;

/** Reads and checks campaign settings (name, wording, the points) from a JSON file. */
export function readCampaignSettings(path: string): CampaignSettings {
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
  writeTransaction(db, () => saveCampaign({ settings, now: now.toISOString() }));
  return settings;
}

// The order matters: constituencies before the candidates and hexes that point at them.
export const sampleFiles = [
  "constituencies-hoc.csv",
  "constituencies-ons.csv",
  "constituencies.hexjson",
  "candidates-dc.csv",
  // A few dozen invented postcodes: small enough for runImport's in-memory path.
  "postcodes-onspd.csv",
] as const;

/**
 * Loads the sample election shipped in data/ — but only into an empty
 * database, so a real election imported later is never mixed with it.
 */
export function loadSampleElectionIfEmpty({ dir }: { dir: string }): ImportResult[] | null {
  // One transaction for the lot: a failure part-way leaves the database empty,
  // so the next start tries again rather than serving half an election.
  return writeTransaction(db, () => {
    if (countConstituencies() > 0) return null;
    loadCampaignSettings({ path: join(dir, "campaign.json") });
    return sampleFiles.map((name) => runImport({ path: join(dir, name) }));
  });
}
