import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAppServer, type AppServer } from "../../scripts/app-server";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The production server over a new database holding the fixture election
 * (tests/fixtures/election), not the sample in data/: seeded first, in a
 * child process as `npm run import` would, so the server starts on a
 * database that already has its election and campaign.
 */
export async function startFixtureServer({ env = {} }: { env?: Record<string, string> } = {}): Promise<AppServer> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-e2e-"));
  const databasePath = join(dir, "e2e.sqlite");
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "tests/e2e/seed-fixture-election.ts"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_PATH: databasePath },
    encoding: "utf8",
  });
  if (seeded.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Seeding the fixture election failed:\n${seeded.stdout}\n${seeded.stderr}`);
  }
  const server = await startAppServer({ env, databasePath }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
