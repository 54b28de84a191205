import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "./browser";
import { startFixtureServer } from "./fixture-server";
import type { AppServer } from "../../scripts/app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** DATABASE_PATH or DATABASE_URL of the shared server's database: read it with queryDatabase. */
    databaseEnv: Record<string, string>;
  }
}

let server: AppServer | undefined;

// One shared server with the default configuration (no SMTP: the local
// mailbox), on the fixture election, on SQLite or (DATABASE_URL=postgres://…)
// a new PostgreSQL database. Tests that need other settings start their own.
export async function setup(project: TestProject) {
  // Browser tests never skip quietly: no browser is a failure, with the fix.
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. Install it with: apt-get install -y chromium`);
  }
  server = await startFixtureServer();
  project.provide("baseUrl", server.baseUrl);
  project.provide("databaseEnv", server.databaseEnv);
}

export async function teardown() {
  await server?.stop();
}
