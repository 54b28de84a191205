import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type AppServer = {
  baseUrl: string;
  databasePath: string;
  pid: number;
  /** Everything the server has printed so far (its start-up log). */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * Used by the browser tests and the benchmarks.
 *
 * Starts the production server (the built app, as `npm start` runs it) on
 * 127.0.0.1 with its own empty database, which it fills with the sample
 * election. Started as node itself, not through npx, so `pid` is the server's.
 * Given a `databasePath` it serves that database instead (the sample is
 * loaded only into an empty one), and leaves the file for its owner to remove.
 */
export async function startAppServer({
  env = {},
  databasePath: givenDatabasePath,
}: { env?: Record<string, string>; databasePath?: string } = {}): Promise<AppServer> {
  if (!existsSync("build/server/index.js")) {
    throw new Error("No build found. Run `npm run build` first (`npm test` does).");
  }
  const dir = givenDatabasePath ? undefined : mkdtempSync(join(tmpdir(), "pledge-e2e-"));
  const databasePath = givenDatabasePath ?? join(dir!, "e2e.sqlite");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_PATH: databasePath,
      PUBLIC_URL: baseUrl,
      MAIL_WORKER_INTERVAL_MS: "200",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not become healthy within 60 s:\n${output}`);
    }
    const healthy = await fetch(`${baseUrl}/healthcheck`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    databasePath,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
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

/** Polls a URL until it answers 2xx, for at most a minute. */
export async function waitForHttp(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s`);
}
