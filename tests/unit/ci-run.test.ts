// .ci/run on a stand-in machine: `npm`, `npx` (for the PostgreSQL cluster) and
// `chromium` are small fakes on PATH, so what is checked is the script's own
// logic: it runs the suite on SQLite then on PostgreSQL, fails when any test
// fails on either, fails when the browser tests did not run, and always ends
// with one summary line.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { freePort } from "../../scripts/app-server";

const repoRoot = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "pledge-ci-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fakeNpm = `#!/usr/bin/env bash
case "$1" in
  install) exit 0 ;;
  start) exec node -e 'require("node:http").createServer((q, r) => r.end("Fenhallow Marsh")).listen(Number(process.env.PORT), "127.0.0.1")' ;;
  test)
    echo "      Tests  12 passed | 1 skipped (13)"
    echo "      Tests  20 passed (20)"
    browser_run="$FAKE_BROWSER_RUN"
    [ -z "$DATABASE_URL" ] || browser_run="$FAKE_PG_BROWSER_RUN"
    case "$browser_run" in
      pass) echo "Skipping the real-data map browser test: the folder ../shared/realdata is missing."; echo "      Tests  30 passed (30)" ;;
      fail) echo "      Tests  1 failed | 29 passed (30)"; exit 1 ;;
      none) ;;
    esac ;;
esac
`;

// The cluster as scripts/postgres-cluster.ts prints it: URL, PID, folder.
const fakeNpx = `#!/usr/bin/env bash
case "$1 $2 $3" in
  "tsx scripts/postgres-cluster.ts start") echo "postgres://postgres@127.0.0.1:5999/postgres 999999 $FAKE_PG_DIR" ;;
  "tsx scripts/postgres-cluster.ts stop") echo "stopped $4" >>"$FAKE_PG_DIR/stopped" ;;
  *) exit 1 ;;
esac
`;

mkdirSync(join(dir, ".ci"));
copyFileSync(join(repoRoot, ".ci/run"), join(dir, ".ci/run"));
// The sample's first plainly named seat is what CI looks for on the started server.
mkdirSync(join(dir, "data"));
writeFileSync(
  join(dir, "data/constituencies-ons.csv"),
  'PCON24CD,PCON24NM,PCON24NMW,ObjectId\nE14009901,"Ash, Elm and Oak",,1\nE14009902,Fenhallow Marsh,,2\n',
);
mkdirSync(join(dir, "bin"));
for (const [name, body] of [
  ["npm", fakeNpm],
  ["npx", fakeNpx],
  ["chromium", "#!/usr/bin/env bash\necho 'Chromium 1.0 (fake)'\n"],
] as const) {
  writeFileSync(join(dir, "bin", name), body);
  chmodSync(join(dir, "bin", name), 0o755);
}

type Run = "pass" | "fail" | "none";

async function runCi(browserRun: Run, postgresBrowserRun: Run = "pass") {
  const pgDir = mkdtempSync(join(dir, "pg-"));
  const { DATABASE_URL: _url, ...env } = process.env;
  const result = spawnSync("bash", [join(dir, ".ci/run")], {
    env: {
      ...env,
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      PORT: String(await freePort()),
      FAKE_BROWSER_RUN: browserRun,
      FAKE_PG_BROWSER_RUN: postgresBrowserRun,
      FAKE_PG_DIR: pgDir,
    },
    encoding: "utf8",
    // A script that waits for a server that never answers must not hang the suite.
    timeout: 45_000,
  });
  const lines = result.stdout.trim().split("\n");
  const stopped = existsSync(join(pgDir, "stopped")) ? readFileSync(join(pgDir, "stopped"), "utf8") : "";
  return { status: result.status, last: lines.at(-1) ?? "", stdout: result.stdout, stopped };
}

const run = "unit: 12 passed \\| 1 skipped \\(13\\); integration: 20 passed \\(20\\)";

test(
  "every test passing on both engines: exit 0, a summary with each run's counts, the skipped real-data tests named, the cluster stopped",
  { timeout: 60_000 },
  async () => {
    const { status, last, stdout, stopped } = await runCi("pass");
    expect(status, stdout).toBe(0);
    expect(last).toMatch(
      new RegExp(
        `^ci: PASSED in \\d+m \\d+s — SQLite — ${run}; browser: 30 passed \\(30\\); PostgreSQL — ${run}; browser: 30 passed \\(30\\)$`,
      ),
    );
    expect(stdout).toContain("ci: PostgreSQL cluster postgres://postgres@127.0.0.1:5999/postgres (pid 999999)");
    expect(stdout.match(/ci: Skipping the real-data map browser test/g)).toHaveLength(1);
    // The runs added up, on a line of its own just before the summary.
    expect(stdout.trim().split("\n").at(-2)).toBe("ci: 124 passed, 0 failed, 2 skipped");
    expect(stopped).toBe("stopped 999999\n");
  },
);

test("a failing browser test fails the run, and the summary says where", { timeout: 60_000 }, async () => {
  const { status, last, stdout } = await runCi("fail");
  expect(status, stdout).not.toBe(0);
  expect(last).toMatch(
    new RegExp(`^ci: FAILED at: npm test .* — SQLite — ${run}; browser: 1 failed \\| 29 passed \\(30\\)$`),
  );
  expect(stdout.trim().split("\n").at(-2)).toBe("ci: 61 passed, 1 failed, 1 skipped");
});

test(
  "a test failing on PostgreSQL alone fails the run, and the cluster is still stopped",
  { timeout: 60_000 },
  async () => {
    const { status, last, stdout, stopped } = await runCi("pass", "fail");
    expect(status, stdout).not.toBe(0);
    expect(last).toMatch(
      new RegExp(
        `^ci: FAILED at: npm test on PostgreSQL .* PostgreSQL — ${run}; browser: 1 failed \\| 29 passed \\(30\\)$`,
      ),
    );
    expect(stopped).toBe("stopped 999999\n");
  },
);

test("browser tests that never ran fail the run instead of passing it quietly", { timeout: 60_000 }, async () => {
  const { status, last, stdout } = await runCi("none");
  expect(status, stdout).not.toBe(0);
  expect(last).toMatch(/^ci: FAILED at: checking the browser tests ran .* browser: not run$/);
  const onPostgres = await runCi("pass", "none");
  expect(onPostgres.status, onPostgres.stdout).not.toBe(0);
  expect(onPostgres.last).toMatch(/^ci: FAILED at: checking the browser tests ran on PostgreSQL .* browser: not run$/);
});
