import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDb } from "#db/index";
import { summariseChanges } from "~/importers/import.server";
import { describeCampaignElection, loadWhatIsMissing } from "~/importers/sample.server";
import { db } from "~/utils/db.server";
import { databaseDescription, env } from "~/utils/env.server";

const dataDir = fileURLToPath(new URL("../data", import.meta.url));

/**
 * Brings the database up to date and says what it holds. Whoever follows the
 * README with a new database must either get a working site or be told, in
 * the log, exactly what is missing and the command that fixes it.
 */
export async function setUpDatabase({
  campaignFile = env.CAMPAIGN_FILE ?? join(dataDir, "campaign.json"),
  log = console.log,
  warn = console.warn,
}: { campaignFile?: string; log?: (line: string) => void; warn?: (line: string) => void } = {}) {
  await migrateDb(db);
  const loaded = await loadWhatIsMissing({ dir: dataDir, campaignFile });
  if (loaded.loaded === "sample") {
    log(`The database ${databaseDescription()} was empty: loaded the sample election and its campaign from data/.`);
    for (const result of loaded.results) log(`  ${result.file}: ${summariseChanges(result)}`);
  } else if (loaded.loaded === "campaign") {
    const { settings } = loaded;
    log(
      `The database ${databaseDescription()} has an election but no campaign: loaded the campaign "${settings.name}" ` +
        `(${settings.points.length} points, election ${settings.electionId}) from ${loaded.path}. ` +
        "For another campaign, load its settings with `npm run campaign -- FILE`, or name the file in CAMPAIGN_FILE before the first start.",
    );
  }

  const { campaign, constituencies, candidaciesByElection } = await describeCampaignElection();
  if (!campaign) return;
  const ours = candidaciesByElection.find((e) => e.electionId === campaign.electionId)?.n ?? 0;
  if (constituencies === 0) {
    warn(
      `WARNING: the campaign "${campaign.name}" is set up but no election is imported, so nobody can be asked. ` +
        "The sample election is loaded only into an empty database: import the real one with `npm run import -- FILE …` " +
        '(README, "Importing an election").',
    );
  } else if (ours === 0) {
    const others = candidaciesByElection.map((e) => `${e.electionId} (${e.n})`).join(", ");
    warn(
      `WARNING: the campaign "${campaign.name}" is for the election ${campaign.electionId}, which has no candidates, ` +
        "so the board and the ask pages are empty. " +
        (others
          ? `The candidates imported are for ${others}: set electionId in the campaign settings and load them with \`npm run campaign -- FILE\`.`
          : "Import the candidates with `npm run import -- FILE`."),
    );
  } else {
    log(
      `Campaign "${campaign.name}" for ${campaign.electionId}: constituencies ${constituencies}, candidacies ${ours}.`,
    );
  }
}
