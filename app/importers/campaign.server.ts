// Campaign settings (name, wording, the points) from a JSON file: read,
// checked and saved like every other import, with the file and field of each
// problem.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { saveCampaign, type CampaignSettings } from "~/models/campaign.server";
import { campaignSchema, describeStatusChange } from "~/utils/campaign-settings";
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
 * Loads campaign settings from a JSON file, keeping a saved version. The
 * file's points are today's points in order (it has no ids): points past the
 * end of today's are added, and today's points past the end of the file's are
 * removed. Once candidates have answered, changing the words of an answered
 * point, or adding or removing one, needs `confirmPointChanges` (the CLI's
 * --confirm-point-changes); without it nothing is written.
 */
export async function loadCampaignSettings({
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
  const result = await saveCampaign({ settings, matchPoints: "by-position", savedBy, confirmPointChanges, now });
  if (result.outcome === "needs-confirmation") {
    const { answered } = result;
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    const reworded = answered.points.map((p) => ({
      file: path,
      column: `points.${p.position - 1}`,
      message: `point ${p.position} ("${p.title}") has been answered by ${plural(p.answered, "candidate")}; changing its words needs --confirm-point-changes (${plural(answered.candidates, "candidate")} answered the earlier words)`,
    }));
    const setChange = [
      ...result.removed.map((p) => `removing point ${p.position} ("${p.title}")`),
      ...(result.added > 0 ? [`adding ${plural(result.added, "point")}`] : []),
    ];
    const moves = result.statusChanges.map(describeStatusChange);
    const addedOrRemoved =
      setChange.length === 0
        ? []
        : [
            {
              file: path,
              column: "points",
              message: `${setChange.join(" and ")} after candidates have answered changes who has signed every point (${moves.length > 0 ? moves.join("; ") : "no candidate's status changes"}); this needs --confirm-point-changes`,
            },
          ];
    throw new ImportFailed([...reworded, ...addedOrRemoved]);
  }
  return settings;
}
