import { join } from "node:path";
import { z } from "zod";
import { writeTransaction } from "#db/index";
import { findCampaign, type CampaignSettings } from "~/models/campaign.server";
import { countCandidaciesByElection } from "~/models/candidacy.server";
import { countConstituencies } from "~/models/constituency.server";
import { recordPledgeByCampaign, type Answers } from "~/models/pledge.server";
import { db } from "~/utils/db.server";
import { personId, statement, webAddress } from "~/utils/fields";
import { loadCampaignSettings } from "./campaign.server";
import { runImport } from "./import.server";
import { ImportFailed, type Problem } from "./problems";
import type { ImportResult } from "./types";
import { parseCsv, readSourceFile } from "./read-file.server";
import { findDuplicates, optional, parseRows, requireColumns } from "./rows.server";

// The order matters: constituencies before the candidates and hexes that point at them.
export const sampleFiles = [
  "constituencies-hoc.csv",
  "constituencies-ons.csv",
  "constituencies.hexjson",
  "candidates-dc.csv",
  // A few dozen invented postcodes: small enough for runImport's in-memory path.
  "postcodes-onspd.csv",
] as const;

// Pledges for some of the sample candidates, so a fresh start shows a board
// and a map with something on them. Loaded last: it needs the candidates.
export const samplePledgesFile = "pledges-sample.csv";

/**
 * Loads the sample election shipped in data/ — but only into an empty
 * database (no constituencies and no campaign), so a real election or a real
 * campaign is never mixed with the invented one.
 */
export async function loadSampleElectionIfEmpty({
  dir,
  now = new Date(),
}: {
  dir: string;
  now?: Date;
}): Promise<ImportResult[] | null> {
  // One transaction for the lot: a failure part-way leaves the database empty,
  // so the next start tries again rather than serving half an election.
  return writeTransaction(db, async () => {
    if ((await countConstituencies()) > 0 || (await findCampaign())) return null;
    await loadCampaignSettings({ path: join(dir, "campaign.json") });
    const results: ImportResult[] = [];
    for (const name of sampleFiles) results.push(await runImport({ path: join(dir, name) }));
    await loadSamplePledges({ path: join(dir, samplePledgesFile), now });
    return results;
  });
}

export type StartUpLoad =
  | { loaded: "sample"; results: ImportResult[] }
  | { loaded: "campaign"; path: string; settings: CampaignSettings }
  | { loaded: "nothing" };

/**
 * What start-up loads. An empty database gets the sample election with its
 * campaign. A database with an imported election but no campaign gets the
 * campaign settings from `campaignFile`: without a campaign there is no ask
 * and nothing on the board, since the campaign names the election and its
 * points. Anything else is left as it is.
 */
export async function loadWhatIsMissing({
  dir,
  campaignFile,
  now = new Date(),
}: {
  dir: string;
  campaignFile: string;
  now?: Date;
}): Promise<StartUpLoad> {
  const results = await loadSampleElectionIfEmpty({ dir, now });
  if (results) return { loaded: "sample", results };
  if ((await findCampaign()) || (await countConstituencies()) === 0) return { loaded: "nothing" };
  return { loaded: "campaign", path: campaignFile, settings: await loadCampaignSettings({ path: campaignFile, now }) };
}

/** What the database holds for the campaign, so start-up can say when it is not a working site. */
export async function describeCampaignElection() {
  const campaign = await findCampaign();
  return {
    campaign: campaign ? { name: campaign.name, electionId: campaign.electionId } : null,
    constituencies: await countConstituencies(),
    candidaciesByElection: await countCandidaciesByElection(),
  };
}

const samplePledgeColumns = ["person_id", "sign", "decline", "statement", "evidence_url", "note"] as const;

// Point numbers as on the site, "1;2;4"; semicolons, so the cell needs no quotes.
const pointNumbers = z
  .string()
  .trim()
  .regex(/^(\d+(;\d+)*)?$/, 'must be point numbers separated by ";", like 1;2;4')
  .transform((v) => (v === "" ? [] : v.split(";").map(Number)));

const samplePledgeRow = z.object({
  person_id: personId,
  sign: pointNumbers,
  decline: pointNumbers,
  statement: optional(statement()),
  evidence_url: webAddress,
  note: z.string().trim().min(1, "say where the pledge was made"),
});

/**
 * Records the sample pledges as campaign staff would (recorded-by-campaign,
 * by "sample data", with the audit log entry). Every row is checked before
 * anything is written, and its own transaction means a bad row keeps nothing.
 */
async function loadSamplePledges({ path, now }: { path: string; now: Date }) {
  const file = readSourceFile(path);
  const table = parseCsv(file);
  requireColumns(file.name, table, samplePledgeColumns);
  const problems: Problem[] = [];
  const rows = parseRows(file.name, table, samplePledgeRow, problems);
  findDuplicates(file.name, rows, "person_id", (r) => r.person_id, problems);
  const campaign = await findCampaign();
  if (!campaign)
    throw new ImportFailed([{ file: file.name, message: "no campaign is set up: load campaign.json first" }]);

  const pledges = rows.map(({ line, data }) => {
    const answers: Answers = {};
    const problem = (column: string, message: string) => problems.push({ file: file.name, line, column, message });
    if (data.sign.length === 0 && data.decline.length === 0)
      problem("sign", "give the points signed or declined (or both)");
    for (const [column, positions, answer] of [
      ["sign", data.sign, "signed"],
      ["decline", data.decline, "declined"],
    ] as const) {
      for (const position of positions) {
        const point = campaign.points.find((p) => p.position === position);
        if (!point)
          problem(column, `there is no point ${position}: the campaign has points 1 to ${campaign.points.length}`);
        else if (answers[point.id] === answer) problem(column, `point ${position} is listed twice`);
        else if (answers[point.id]) problem(column, `point ${position} is both signed and declined`);
        else answers[point.id] = answer;
      }
    }
    return { line, data, answers };
  });
  if (problems.length > 0) throw new ImportFailed(problems);

  return writeTransaction(db, async () => {
    for (const { line, data, answers } of pledges) {
      const result = await recordPledgeByCampaign({
        electionId: campaign.electionId,
        personId: data.person_id,
        answers,
        statement: data.statement,
        evidenceUrl: data.evidence_url,
        note: data.note,
        recordedBy: "sample data",
        now,
      });
      if (result.status !== "recorded") {
        const why = {
          unknown: `no candidate has this person id in ${campaign.electionId}`,
          withdrawn: "this candidate has withdrawn",
          verified: "this candidate's pledge was verified by email and is not overwritten",
        }[result.status];
        problems.push({ file: file.name, line, column: "person_id", message: `${why} (got "${data.person_id}")` });
      }
    }
    if (problems.length > 0) throw new ImportFailed(problems);
    return pledges.length;
  });
}
