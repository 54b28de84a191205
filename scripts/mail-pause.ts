// npm run mail:pause -- --by NAME [--reason TEXT]   |   npm run mail:pause -- --resume --by NAME
// Stops (or restarts) all sending at once, for the server's worker and
// `npm run worker` alike: the mail stays queued in the outbox meanwhile.
// Written to the audit log with the name given.
import { z } from "zod";
import { checkFlags, parseCommandLine } from "./command-line";

const usage = `Usage: npm run mail:pause -- --by YOUR_NAME [--reason TEXT]
       npm run mail:pause -- --resume --by YOUR_NAME
Pausing stops the mail worker claiming mail within one interval; mail already handed to the
mail server finishes. Resuming sends what waited.
  -h, --help  show this help`;

const argsSchema = z.object({
  by: z.string({ error: "give your name, for the audit log" }).trim().min(1, "give your name, for the audit log"),
  reason: z.string().trim().max(500, "keep the reason under 500 characters").optional(),
  resume: z.boolean(),
});

async function main() {
  const command = parseCommandLine({
    command: "npm run mail:pause",
    usage,
    config: {
      options: {
        by: { type: "string" },
        reason: { type: "string" },
        resume: { type: "boolean", default: false },
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
  const { pauseSending, resumeSending } = await import("~/models/sending-pause.server");
  await migrateDb(db);
  const actor = `${args.by} (npm run mail:pause)`;
  if (args.resume) {
    const result = await resumeSending({ actor, now: new Date() });
    console.log(result.outcome === "resumed" ? "Sending resumed." : "Sending was not paused.");
  } else {
    const result = await pauseSending({ actor, reason: args.reason || null, now: new Date() });
    console.log(result.outcome === "paused" ? "All sending paused." : "Sending was already paused.");
  }
  return 0;
}

process.exitCode = await main();
