// What start-up (`npm start`, `npm run dev`) does with the database it finds:
// the README's recipe for a real election must end in a working site, and
// whatever is missing must be said in the log with the command that fixes it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { runImport } from "~/importers/import.server";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { findCampaign } from "~/models/campaign.server";
import { countConstituencies } from "~/models/constituency.server";
import { loader as boardLoader } from "~/routes/board";
import { buildCandidate, buildSeat, dcCsv, hocCsv, writeInputFile } from "../factories";
import { setUpDatabase } from "../../scripts/set-up-database";
import { fixtureCampaign } from "../fixture-election";

const repoRoot = join(import.meta.dirname, "../..");
// What npm start loads into an empty database is the sample in data/, which
// may be edited at any time: its campaign name and seat count are read from it.
const sampleCampaign = JSON.parse(readFileSync(join(repoRoot, "data/campaign.json"), "utf8")) as { name: string };
const sampleSeats = (parse(readFileSync(join(repoRoot, "data/constituencies-ons.csv")), { columns: true }) as unknown[])
  .length;

async function startUp(options: { campaignFile?: string } = {}) {
  const lines: string[] = [];
  const warnings: string[] = [];
  await setUpDatabase({ ...options, log: (line) => lines.push(line), warn: (line) => warnings.push(line) });
  return { log: lines.join("\n"), warnings: warnings.join("\n") };
}

/** Two invented seats and three candidates, imported as the README says, with no campaign. */
async function importElection() {
  const seats = [buildSeat(), buildSeat()];
  await runImport({ path: writeInputFile("hoc.csv", hocCsv(seats)) });
  await runImport({
    path: writeInputFile(
      "dc.csv",
      dcCsv([buildCandidate(seats[0]!), buildCandidate(seats[0]!), buildCandidate(seats[1]!)]),
    ),
  });
}

function campaignFile(overrides: Record<string, unknown>) {
  return writeInputFile("campaign.json", JSON.stringify({ ...fixtureCampaign, ...overrides }));
}

async function boardSummary() {
  return (await boardLoader({ request: new Request("http://localhost/board"), params: {}, context: {} })).summary;
}

test("an empty database gets the sample election and its campaign, and says so", async () => {
  const { log, warnings } = await startUp();
  expect(log).toContain("was empty: loaded the sample election and its campaign from data/");
  expect(warnings).toBe("");
  expect(await countConstituencies()).toBe(sampleSeats);
  expect((await findCampaign())?.name).toBe(sampleCampaign.name);
});

test("an imported election without a campaign gets data/campaign.json on start, and the board counts its candidates", async () => {
  await importElection();
  // What the README's recipe used to give: no campaign, so "0 of 0" on the board.
  expect((await boardSummary()).standing).toBe(0);

  const { log, warnings } = await startUp();
  expect((await findCampaign())?.name).toBe(sampleCampaign.name);
  expect(log).toContain(`has an election but no campaign: loaded the campaign "${sampleCampaign.name}"`);
  expect(log).toContain("npm run campaign -- FILE");
  expect(log).toContain(`Campaign "${sampleCampaign.name}" for parl.2024-07-04: constituencies 2, candidacies 3.`);
  expect(warnings).toBe("");
  // The sample election is not mixed in.
  expect(await countConstituencies()).toBe(2);
  expect((await boardSummary()).standing).toBe(3);
});

test("the campaign file start-up loads can be another one (CAMPAIGN_FILE)", async () => {
  await importElection();
  const path = campaignFile({ name: "Fair Homes Pledge", slug: "fair-homes" });
  const { log } = await startUp({ campaignFile: path });
  expect((await findCampaign())?.name).toBe("Fair Homes Pledge");
  expect(log).toContain(`from ${path}`);
});

test("a campaign that is already set up is kept: start-up loads no campaign over it", async () => {
  await importElection();
  await loadCampaignSettings({ path: campaignFile({ name: "Fair Homes Pledge", slug: "fair-homes" }) });
  const { log } = await startUp();
  expect((await findCampaign())?.name).toBe("Fair Homes Pledge");
  expect(log).not.toContain("loaded the campaign");
});

test("a campaign without an election: the sample is not mixed in, and the log says to import one", async () => {
  await loadCampaignSettings({ path: campaignFile({ name: "Fair Homes Pledge", slug: "fair-homes" }) });
  const { log, warnings } = await startUp();
  expect(await countConstituencies()).toBe(0);
  expect(log).not.toContain("sample election");
  expect(warnings).toContain('WARNING: the campaign "Fair Homes Pledge" is set up but no election is imported');
  expect(warnings).toContain("npm run import -- FILE");
});

test("a campaign for another election than the candidates imported is warned about, with the fix", async () => {
  await importElection();
  await loadCampaignSettings({ path: campaignFile({ electionId: "parl.2029-05-03", electionDate: "2029-05-03" }) });
  const { warnings } = await startUp();
  expect(warnings).toContain("is for the election parl.2029-05-03, which has no candidates");
  expect(warnings).toContain(
    "The candidates imported are for parl.2024-07-04 (3): set electionId in the campaign settings",
  );
});

test("npm start reads CAMPAIGN_FILE from the environment", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-setup-"));
  try {
    const env = {
      ...process.env,
      DATABASE_PATH: join(dir, "db.sqlite"),
      CAMPAIGN_FILE: campaignFile({ name: "Fair Homes Pledge", slug: "fair-homes" }),
    };
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: repoRoot, env, encoding: "utf8" });
    const seat = buildSeat();
    expect(
      run([
        "scripts/import.ts",
        writeInputFile("hoc.csv", hocCsv([seat])),
        writeInputFile("dc.csv", dcCsv([buildCandidate(seat)])),
      ]).status,
    ).toBe(0);
    const setup = run(["scripts/setup.ts"]);
    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('loaded the campaign "Fair Homes Pledge"');
    expect(setup.stdout).toContain(
      'Campaign "Fair Homes Pledge" for parl.2024-07-04: constituencies 1, candidacies 1.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm run campaign -- --help explains itself and when start-up loads a campaign by itself", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/campaign.ts", "--help"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain("Usage: npm run campaign -- FILE");
  expect(result.stdout).toContain("only into a\ndatabase that has an election but no campaign");
});
