// npm run campaign -- FILE
// Loads campaign settings (name, wording, the points, sender address, hourly
// cap) from a JSON file like data/campaign.json into the database. Points are
// matched by position, so answers already given stay attached to their point.
import { migrateDb } from "#db/index";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { ImportFailed, formatProblems } from "~/importers/problems";
import { db } from "~/utils/db.server";

const usage = `Usage: npm run campaign -- FILE

Loads or updates the campaign settings from FILE, a JSON file shaped like
data/campaign.json. Its electionId must be the election you imported.
Start-up loads data/campaign.json (or CAMPAIGN_FILE) by itself only into a
database that has an election but no campaign; use this for your own.`;

function main() {
  const path = process.argv[2];
  if (path === "--help" || path === "-h") {
    console.log(usage);
    return 0;
  }
  if (!path || process.argv.length > 3) {
    console.error(usage);
    return 2;
  }
  migrateDb(db);
  try {
    const settings = loadCampaignSettings({ path });
    console.log(`Campaign "${settings.name}" loaded: ${settings.points.length} points, election ${settings.electionId}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    console.error(`${path}: not loaded; the database is unchanged.\n${formatProblems(error.problems)}`);
    return 1;
  }
}

process.exitCode = main();
