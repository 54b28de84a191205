import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { chromiumPath } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databasePath: string;
  }
}

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  // Browser tests never skip quietly: no browser is a failure, with the fix.
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. Install it with: apt-get install -y chromium`);
  }
  if (!existsSync("build/server/index.js")) {
    throw new Error("No build found. Run `npm run build` first (`npm test` does).");
  }
  dir = mkdtempSync(join(tmpdir(), "pledge-e2e-"));
  const databasePath = join(dir, "e2e.sqlite");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Started as node itself (not through npx) so the PID we hold is the server's.
  server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATABASE_PATH: databasePath, PUBLIC_URL: baseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  await waitForHealthy(baseUrl, () => output);
  project.provide("baseUrl", baseUrl);
  project.provide("databasePath", databasePath);
}

export async function teardown() {
  if (server?.pid && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((resolve) => server?.once("exit", resolve));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

async function waitForHealthy(baseUrl: string, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`The server exited early:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthcheck`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not become healthy within 60 s:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
