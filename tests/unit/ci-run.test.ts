// .ci/run on a stand-in machine: `npm` and `chromium` are small fakes on PATH,
// so what is checked is the script's own logic: it fails when any test fails,
// fails when the browser tests did not run, and always ends with one summary line.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
    case "$FAKE_BROWSER_RUN" in
      pass) echo "Skipping the real-data map browser test: the folder ../shared/realdata is missing."; echo "      Tests  30 passed (30)" ;;
      fail) echo "      Tests  1 failed | 29 passed (30)"; exit 1 ;;
      none) ;;
    esac ;;
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
  ["chromium", "#!/usr/bin/env bash\necho 'Chromium 1.0 (fake)'\n"],
] as const) {
  writeFileSync(join(dir, "bin", name), body);
  chmodSync(join(dir, "bin", name), 0o755);
}

async function runCi(browserRun: "pass" | "fail" | "none") {
  const result = spawnSync("bash", [join(dir, ".ci/run")], {
    env: {
      ...process.env,
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      PORT: String(await freePort()),
      FAKE_BROWSER_RUN: browserRun,
    },
    encoding: "utf8",
    // A script that waits for a server that never answers must not hang the suite.
    timeout: 45_000,
  });
  const lines = result.stdout.trim().split("\n");
  return { status: result.status, last: lines.at(-1) ?? "", stdout: result.stdout };
}

test(
  "every test passing: exit 0, and a summary with each run's counts and the skipped real-data tests named",
  { timeout: 60_000 },
  async () => {
    const { status, last, stdout } = await runCi("pass");
    expect(status, stdout).toBe(0);
    expect(last).toMatch(
      /^ci: PASSED in \d+m \d+s — unit: 12 passed \| 1 skipped \(13\); integration: 20 passed \(20\); browser: 30 passed \(30\)$/,
    );
    expect(stdout).toContain("ci: Skipping the real-data map browser test");
    // The runs added up, on a line of its own just before the summary.
    expect(stdout.trim().split("\n").at(-2)).toBe("ci: 62 passed, 0 failed, 1 skipped");
  },
);

test("a failing browser test fails the run, and the summary says where", { timeout: 60_000 }, async () => {
  const { status, last, stdout } = await runCi("fail");
  expect(status, stdout).not.toBe(0);
  expect(last).toMatch(
    /^ci: FAILED at: npm test .* — unit: 12 passed \| 1 skipped \(13\); integration: 20 passed \(20\); browser: 1 failed \| 29 passed \(30\)$/,
  );
  expect(stdout.trim().split("\n").at(-2)).toBe("ci: 61 passed, 1 failed, 1 skipped");
});

test("browser tests that never ran fail the run instead of passing it quietly", { timeout: 60_000 }, async () => {
  const { status, last, stdout } = await runCi("none");
  expect(status, stdout).not.toBe(0);
  expect(last).toMatch(/^ci: FAILED at: checking the browser tests ran .* browser: not run$/);
});
