// Campaign settings (name, wording, the points) from a JSON file: read,
// checked and saved like every other import, with the file and field of each
// problem.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { saveCampaign, type CampaignSettings } from "~/models/campaign.server";
import { campaignSchema } from "~/utils/campaign-settings";
import { ImportFailed } from "./problems";

// The schema's output must be settings saveCampaign takes.
const checked: z.ZodType<CampaignSettings, z.input<typeof campaignSchema>> = campaignSchema;

/** Reads and checks campaign settings (name, wording, the points) from a JSON file. */
function readCampaignSettings(path: string): CampaignSettings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ImportFailed([{ file: path, message: `cannot read campaign settings: ${String(error)}` }]);
  }
  const parsed = checked.safeParse(json);
  if (!parsed.success) {
    throw new ImportFailed(
      parsed.error.issues.map((i) => ({ file: path, column: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * Loads campaign settings from a JSON file, keeping a saved version. Changing
 * the words of a point candidates have answered needs `confirmPointChanges`
 * (the CLI's --confirm-point-changes); without it nothing is written.
 */
export function loadCampaignSettings({
  path,
  savedBy = "npm run campaign",
  confirmPointChanges = false,
  now = new Date(),
}: {
  path: string;
  savedBy?: string;
  confirmPointChanges?: boolean;
  now?: Date;
}) {
  const settings = readCampaignSettings(path);
  const result = saveCampaign({ settings, savedBy, confirmPointChanges, now });
  if (result.outcome === "needs-confirmation") {
    throw new ImportFailed(
      result.points.map((p) => ({
        file: path,
        column: `points.${p.position - 1}`,
        message: `point ${p.position} ("${p.title}") has been answered by ${p.answered} candidate${p.answered === 1 ? "" : "s"}; changing its words needs --confirm-point-changes (${result.candidates} candidate${result.candidates === 1 ? "" : "s"} answered the earlier words)`,
      })),
    );
  }
  return settings;
}
