import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDatabase, envWithDatabase, startAppServer, type AppServer } from "../../scripts/app-server";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The production server over a new database holding the fixture election
 * (tests/fixtures/election), not the sample in data/: seeded first, in a
 * child process as `npm run import` would, so the server starts on a
 * database that already has its election and campaign. The database is a
 * SQLite file, or a new one on the PostgreSQL server this process's
 * DATABASE_URL names (createTestDatabase); `stop` removes it.
 */
export async function startFixtureServer({ env = {} }: { env?: Record<string, string> } = {}): Promise<AppServer> {
  const database = await createTestDatabase();
  try {
    const seeded = spawnSync(process.execPath, ["--import", "tsx", "tests/e2e/seed-fixture-election.ts"], {
      cwd: repoRoot,
      env: envWithDatabase(database.env),
      encoding: "utf8",
    });
    if (seeded.status !== 0) {
      throw new Error(`Seeding the fixture election failed:\n${seeded.stdout}\n${seeded.stderr}`);
    }
    const server = await startAppServer({
      env,
      databasePath: database.databasePath,
      databaseUrl: database.databaseUrl,
    });
    return {
      ...server,
      stop: async () => {
        await server.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
