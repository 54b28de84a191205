// npm run staff:add -- --email ADDRESS --role admin|organiser|viewer
// Makes a staff account with no password and prints a one-time link (valid
// 24 hours) where its owner sets one, and a second factor. There is no
// default account and no password on the command line (it would sit in the
// shell's history and the process list).
import { z } from "zod";
import { staffRoles } from "#db/enums";
import { checkFlags, parseCommandLine } from "./command-line";

const usage = `Usage: npm run staff:add -- --email ADDRESS --role admin|organiser|viewer [--by YOUR_NAME]
Creates a staff account and prints a one-time set-up link, valid for 24 hours.
Roles: viewer sees the dashboard; organiser also moderates and works the outbox;
admin also manages staff accounts and exports supporters (and must use a code from an app).
  --by    who is adding the account, for the audit log (default: the command)
  -h, --help  show this help`;

const argsSchema = z.object({
  email: z
    .string({ error: "give the person's email address (--email)" })
    .trim()
    .pipe(z.email("give a real email address, like name@example.org")),
  role: z.enum(staffRoles, { error: `give a role (--role): one of ${staffRoles.join(", ")}` }),
  by: z.string().trim().min(1).optional(),
});

async function main() {
  const command = parseCommandLine({
    command: "npm run staff:add",
    usage,
    config: { options: { email: { type: "string" }, role: { type: "string" }, by: { type: "string" } } },
  });
  if ("exitCode" in command) return command.exitCode;
  const checked = checkFlags({ schema: argsSchema, values: command.values, usage });
  if ("exitCode" in checked) return checked.exitCode;
  const args = checked.values;
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { publicUrl } = await import("~/utils/env.server");
  const { paths } = await import("~/utils/paths");
  const { createStaffAccount, StaffAccountExists } = await import("~/models/staff.server");
  await migrateDb(db);
  try {
    const { token } = await createStaffAccount({
      email: args.email,
      role: args.role,
      actor: args.by ? `${args.by} (npm run staff:add)` : "npm run staff:add",
      now: new Date(),
    });
    console.log(`Staff account made for ${args.email.toLowerCase()} (${args.role}).`);
    console.log("Send them this one-time link, privately; it works once, for 24 hours:");
    console.log(publicUrl(paths.staffSetUp(token)));
    return 0;
  } catch (error) {
    if (!(error instanceof StaffAccountExists)) throw error;
    console.error(
      `npm run staff:add: ${error.message}. An admin can send a new set-up link from the staff accounts page.`,
    );
    return 1;
  }
}

process.exitCode = await main();
