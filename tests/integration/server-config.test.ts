import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";

// The real start-up path (scripts/serve.ts): a bad setting stops the server
// before it touches the database, with one plain line per problem.
test("invalid settings stop start-up with exit status 1 and one line per problem, no stack trace", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      TRUSTED_PROXY: "10.0.0.300",
      PORT: "eighty",
      DATABASE_PATH: "/nonexistent/never.sqlite",
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toEqual([
    expect.stringMatching(/^Invalid configuration: PORT: /),
    expect.stringMatching(/^Invalid configuration: TRUSTED_PROXY: "10\.0\.0\.300" is not a proxy list/),
  ]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe("");
});
