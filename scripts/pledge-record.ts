// npm run pledge:record -- --person ID --sign 1,2,3 [--decline 4] --evidence URL --note TEXT --by NAME
// Staff only: records a pledge a candidate made elsewhere (a public post, a
// letter), marked "recorded by the campaign" and written to the audit log.
import { z } from "zod";
import type { Answers } from "~/models/pledge.server";
import { electionId, personId, statement, webAddress } from "~/utils/fields";
import { checkFlags, parseCommandLine } from "./command-line";

const usage = `Usage: npm run pledge:record -- --person PERSON_ID [--sign 1,2,…] [--decline 3,…] [--statement TEXT]
         --evidence URL --note TEXT --by YOUR_NAME [--election ELECTION_ID]
Points are numbered as on the site (1 to the number of points). At least one of --sign and --decline.
  -h, --help  show this help`;

const positions = z
  .string()
  .regex(/^\d+(,\d+)*$/, "must be point numbers separated by commas, like 1,2,4")
  .transform((v) => v.split(",").map(Number));

const argsSchema = z.object({
  person: personId,
  sign: positions.optional(),
  decline: positions.optional(),
  statement: statement().optional(),
  evidence: webAddress,
  note: z.string().trim().min(1, "say what the evidence is"),
  by: z.string().trim().min(1, "give your name, for the audit log"),
  election: electionId.optional(),
});

async function main() {
  const command = parseCommandLine({
    command: "npm run pledge:record",
    usage,
    config: {
      options: {
        person: { type: "string" },
        sign: { type: "string" },
        decline: { type: "string" },
        statement: { type: "string" },
        evidence: { type: "string" },
        note: { type: "string" },
        by: { type: "string" },
        election: { type: "string" },
      },
    },
  });
  if ("exitCode" in command) return command.exitCode;
  const checked = checkFlags({ schema: argsSchema, values: command.values, usage });
  if ("exitCode" in checked) return checked.exitCode;
  const args = checked.values;
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { findCampaign } = await import("~/models/campaign.server");
  const { recordPledgeByCampaign } = await import("~/models/pledge.server");
  await migrateDb(db);
  const campaign = await findCampaign();
  if (!campaign) {
    console.error("No campaign is set up. Start the app once (npm start) or load data/campaign.json.");
    return 1;
  }
  const answers: Answers = {};
  const chosen = [
    ...(args.sign ?? []).map((p) => [p, "signed"] as const),
    ...(args.decline ?? []).map((p) => [p, "declined"] as const),
  ];
  if (chosen.length === 0) {
    console.error("Give at least one of --sign and --decline.\n" + usage);
    return 2;
  }
  for (const [position, answer] of chosen) {
    const point = campaign.points.find((p) => p.position === position);
    if (!point) {
      console.error(`There is no point ${position}: the campaign has points 1 to ${campaign.points.length}.`);
      return 2;
    }
    if (answers[point.id]) {
      console.error(`Point ${position} is both signed and declined.`);
      return 2;
    }
    answers[point.id] = answer;
  }
  const result = await recordPledgeByCampaign({
    electionId: args.election ?? campaign.electionId,
    personId: args.person,
    answers,
    statement: args.statement || null,
    evidenceUrl: args.evidence,
    note: args.note,
    recordedBy: args.by,
    now: new Date(),
  });
  switch (result.status) {
    case "unknown":
      console.error(`No candidate with person id ${args.person} stands in ${args.election ?? campaign.electionId}.`);
      return 1;
    case "withdrawn":
      console.error(`Person ${args.person} has withdrawn; their pledge cannot be recorded.`);
      return 1;
    case "verified":
      console.error(
        `Person ${args.person} has already answered through their own signing link; that is not overwritten.`,
      );
      return 1;
    case "recorded":
      console.log(
        result.changed
          ? `Recorded, and written to the audit log.`
          : `No change: the same answers were already recorded.`,
      );
      return 0;
  }
}

process.exitCode = await main();
