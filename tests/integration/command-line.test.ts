// Every command-line tool, run as a person would (through tsx, as npm run
// does): `--help` and `-h` print its usage on stdout and succeed; an unknown
// flag is refused in one line on stderr, with the "bad arguments" status.
// Neither opens the database: both work before anything is set up.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, vi } from "vitest";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));

// Each run starts Node and tsx: seconds, not milliseconds, on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const commands = [
  { script: "scripts/import.ts", command: "npm run import", usage: "Usage: npm run import -- [--kind KIND]" },
  { script: "scripts/campaign.ts", command: "npm run campaign", usage: "Usage: npm run campaign -- FILE" },
  {
    script: "scripts/pledge-record.ts",
    command: "npm run pledge:record",
    usage: "Usage: npm run pledge:record -- --person PERSON_ID",
  },
  {
    script: "scripts/mail-pause.ts",
    command: "npm run mail:pause",
    usage: "Usage: npm run mail:pause -- --by YOUR_NAME",
  },
  {
    script: "scripts/staff-add.ts",
    command: "npm run staff:add",
    usage: "Usage: npm run staff:add -- --email ADDRESS --role admin|organiser|viewer",
  },
  { script: "scripts/worker.ts", command: "npm run worker", usage: "Usage: npm run worker" },
  { script: "scripts/bench.ts", command: "npm run bench", usage: "Usage: npm run bench -- [--generated] [NAME …]" },
  { script: "scripts/migrate.ts", command: "npm run db:migrate", usage: "Usage: npm run db:migrate" },
  { script: "scripts/db-copy.ts", command: "npm run db:copy", usage: "Usage: npm run db:copy -- --to postgres://" },
];

/** Runs a script on a database path in a folder of its own, which nothing should create. */
function run(script: string, ...args: string[]) {
  const databasePath = join(mkdtempSync(join(tmpdir(), "pledge-cli-")), "var", "never.sqlite");
  return new Promise<{ code: number | null; stdout: string; stderr: string; databaseOpened: boolean }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script, ...args],
      { cwd: repoDir, env: { ...process.env, DATABASE_PATH: databasePath }, encoding: "utf8", timeout: 90_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : null) : 0,
          stdout,
          stderr,
          databaseOpened: existsSync(databasePath),
        }),
    );
  });
}

for (const { script, command, usage } of commands) {
  test(`${command} -- --help and -h print the usage on stdout and exit 0`, async () => {
    const [long, short] = await Promise.all([run(script, "--help"), run(script, "-h")]);
    for (const result of [long, short]) {
      expect(result).toMatchObject({ code: 0, stderr: "", databaseOpened: false });
      expect(result.stdout.startsWith(usage)).toBe(true);
      expect(result.stdout).toContain("-h, --help");
    }
  });

  test(`${command} refuses an unknown flag in one line on stderr, with exit status 2`, async () => {
    const result = await run(script, "--no-such-flag");
    expect(result).toMatchObject({ code: 2, stdout: "", databaseOpened: false });
    expect(result.stderr.startsWith(`${command}: Unknown option '--no-such-flag'`)).toBe(true);
    expect(result.stderr.endsWith(` (see ${command} -- --help)\n`)).toBe(true);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
}
