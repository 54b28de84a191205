// npm run campaign -- FILE
// Loads campaign settings (name, wording, the points, sender address, hourly
// cap) from a JSON file like data/campaign.json into the database. Points are
// matched by position, so answers already given stay attached to their point.
import { ImportFailed, formatProblems } from "~/importers/problems";
import { parseCommandLine } from "./command-line";

const usage = `Usage: npm run campaign -- FILE [--confirm-point-changes]

Loads or updates the campaign settings from FILE, a JSON file shaped like
data/campaign.json. Its electionId must be the election you imported.
Start-up loads data/campaign.json (or CAMPAIGN_FILE) by itself only into a
database that has an election but no campaign; use this for your own.
Each save is kept as a version (see /staff/settings). Once candidates have
answered a point, changing its title or body is refused unless you pass
--confirm-point-changes: their answers stay shown against the earlier words.
      --confirm-point-changes  change the words of points already answered
  -h, --help                   show this help`;

async function main() {
  const args = parseCommandLine({
    command: "npm run campaign",
    usage,
    config: {
      allowPositionals: true,
      options: { "confirm-point-changes": { type: "boolean", default: false } },
    },
  });
  if ("exitCode" in args) return args.exitCode;
  const [path, ...more] = args.positionals;
  if (!path || more.length > 0) {
    console.error(usage);
    return 2;
  }
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { loadCampaignSettings } = await import("~/importers/campaign.server");
  await migrateDb(db);
  try {
    const settings = await loadCampaignSettings({
      path,
      confirmPointChanges: args.values["confirm-point-changes"],
    });
    console.log(
      `Campaign "${settings.name}" loaded: ${settings.points.length} points, election ${settings.electionId}.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    console.error(`${path}: not loaded; the database is unchanged.\n${formatProblems(error.problems)}`);
    return 1;
  }
}

process.exitCode = await main();
