// The launch-day benchmark (issue 5): requests per second for the board and
// the map at 100 concurrent connections, against a bare node:http server
// sending the very same bytes from memory in the same run. Target: at least
// half the bare server's rate, with p99 latency under 50 ms. Also what each
// public read page weighs (page-weight.ts): at most 30 KB of gzipped
// JavaScript each, /map at most 40 KB and /board 20 KB of gzipped HTML.
//
// The app runs as `npm start` runs it (the Vite build, scripts/serve.ts) in a
// child process on 127.0.0.1, on the real 2024 election when
// ../shared/realdata is present (650 seats, 4,515 candidates), else on the
// sample election. Load comes from autocannon in this process.
//
// On a shared two-core machine one 10-second run can be twice as fast as the
// next (the load generator and the server share the cores with whatever else
// runs), so each page is measured in rounds, bare and app back to back and in
// turn first, and the figures are each one's median round, every round shown.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { freePort, startAppServer, waitForHttp } from "../app-server";
import { loadRealElection } from "./real-election";
import { measurePageWeight, overBudget, pageWeightBudgets, type PageWeight } from "./page-weight";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");

export const httpTargets = { ratio: 0.5, p99Ms: 50 };

type Load = { rps: number; p50: number; p99: number; errors: number; non2xx: number; requests: number };
type PageFigures = {
  path: string;
  bytes: number;
  weight: PageWeight;
  /** The median round's figures (each figure its own median). */
  app: Load;
  bare: Load;
  rounds: { app: Load; bare: Load }[];
  ratio: number;
  pass: boolean;
};
export type HttpBenchFigures = {
  data: "real" | "sample";
  seconds: number;
  rounds: number;
  connections: number;
  pages: PageFigures[];
  weights: PageWeight[];
};

export async function benchHttp({ seconds = 10, connections = 100, rounds = 3 } = {}): Promise<HttpBenchFigures> {
  if (!existsSync(join(repo, "build/server/index.js"))) {
    const built = spawnSync("npm", ["run", "build"], { cwd: repo, stdio: "ignore" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-http-"));
  const databasePath = join(dir, "bench.sqlite");
  const useReal = loadRealElection(databasePath);

  const app = await startAppServer({ databasePath, env: { MAIL_WORKER: "off" } });
  let bare: ChildProcess | undefined;
  try {
    const appUrl = app.baseUrl;
    const pages: PageFigures[] = [];
    for (const path of ["/board", "/map"]) {
      const response = await fetch(`${appUrl}${path}`);
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      const body = Buffer.from(await response.arrayBuffer());
      const weight = await measurePageWeight(appUrl, path);

      // The bare server: the same bytes and content type, nothing else.
      const barePort = await freePort();
      const bodyFile = join(dir, `page${pages.length}.html`);
      // Browsers and CDNs ask for gzip, and the app's page cache keeps a gzipped
      // copy; the bare server sends the same page gzipped too.
      writeFileSync(bodyFile, gzipSync(body));
      bare = spawn(
        process.execPath,
        [
          "-e",
          `const body = require("node:fs").readFileSync(process.env.BODY_FILE);
           require("node:http").createServer((req, res) => { res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "gzip", "content-length": body.length }); res.end(body); })
             .listen(Number(process.env.PORT), "127.0.0.1");`,
        ],
        { env: { ...process.env, BODY_FILE: bodyFile, PORT: String(barePort) }, stdio: "ignore" },
      );
      const bareUrl = `http://127.0.0.1:${barePort}`;
      await waitForHttp(bareUrl);

      await load(`${appUrl}${path}`, 2, connections); // warm both up
      await load(bareUrl, 2, connections);
      const measured: { app: Load; bare: Load }[] = [];
      for (let round = 0; round < rounds; round++) {
        if (round % 2 === 0) {
          const bareRound = await load(bareUrl, seconds, connections);
          measured.push({ bare: bareRound, app: await load(`${appUrl}${path}`, seconds, connections) });
        } else {
          const appRound = await load(`${appUrl}${path}`, seconds, connections);
          measured.push({ app: appRound, bare: await load(bareUrl, seconds, connections) });
        }
      }
      await stop(bare);
      bare = undefined;
      const appLoad = medianLoad(measured.map((m) => m.app));
      const bareLoad = medianLoad(measured.map((m) => m.bare));

      const ratio = appLoad.rps / bareLoad.rps;
      pages.push({
        path,
        bytes: body.length,
        weight,
        app: appLoad,
        bare: bareLoad,
        rounds: measured,
        ratio,
        pass:
          ratio >= httpTargets.ratio &&
          appLoad.p99 < httpTargets.p99Ms &&
          overBudget([weight]).length === 0 &&
          appLoad.errors + appLoad.non2xx === 0,
      });
    }
    // Every public read page's weight, on the same data (a candidate and a seat from it).
    const weights: PageWeight[] = [];
    const candidate = /href="(\/candidates\/[^"]+)"/.exec(await (await fetch(`${appUrl}/board`)).text())?.[1];
    const seatPath = /href="(\/constituencies\/[^"/]+)"/.exec(
      await (await fetch(`${appUrl}/constituencies`)).text(),
    )?.[1];
    for (const path of [
      "/",
      "/board",
      "/map",
      "/map/table",
      "/constituencies",
      seatPath,
      candidate,
      "/supporters",
      "/data",
      "/privacy",
    ])
      if (path) weights.push(await measurePageWeight(appUrl, path));
    return { data: useReal ? "real" : "sample", seconds, rounds, connections, pages, weights };
  } finally {
    if (bare) await stop(bare);
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function load(url: string, duration: number, connections: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    headers: { "accept-encoding": "gzip" },
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianLoad(loads: Load[]): Load {
  const of = (pick: (l: Load) => number) => median(loads.map(pick));
  return {
    rps: of((l) => l.rps),
    p50: of((l) => l.p50),
    p99: of((l) => l.p99),
    // Failures are summed: one in any round is a failure.
    errors: loads.reduce((n, l) => n + l.errors, 0),
    non2xx: loads.reduce((n, l) => n + l.non2xx, 0),
    requests: loads.reduce((n, l) => n + l.requests, 0),
  };
}

function stop(child: ChildProcess) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export function formatHttpBench(f: HttpBenchFigures): string {
  const rows = f.pages.map(
    (p) =>
      `| ${p.path} | ${(p.bytes / 1024).toFixed(0)} KB | ${p.bare.rps.toFixed(0)} | ${p.bare.p50} / ${p.bare.p99} | ${p.app.rps.toFixed(0)} | ${(p.ratio * 100).toFixed(0)}% | ${p.app.p50} / ${p.app.p99} | ${p.app.errors + p.app.non2xx} | ${p.weight.htmlGzipKb.toFixed(1)} KB | ${p.weight.jsGzipKb.toFixed(1)} KB | ${p.pass ? "PASS" : "FAIL"} |`,
  );
  const roundRows = f.pages.flatMap((p) =>
    p.rounds.map(
      (r, i) =>
        `| ${p.path} | ${i + 1} | ${r.bare.rps.toFixed(0)} | ${r.bare.p99} | ${r.app.rps.toFixed(0)} | ${r.app.p99} |`,
    ),
  );
  return [
    `Data: ${f.data === "real" ? "the real 2024 election (650 seats, 4,515 candidates)" : "the sample election"}. ${f.connections} connections, ${f.rounds} rounds of ${f.seconds} s each for each server, autocannon on 127.0.0.1; the bare server is node:http sending the same bytes from memory; both gzipped, as browsers ask. Each figure is the median of its rounds.`,
    "",
    "| page | HTML | bare node:http req/s | bare p50 / p99 ms | app req/s | app / bare | app p50 / p99 ms | errors | HTML (gzip) | JS (gzip) | target |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ...rows,
    "",
    `Targets: app at least ${httpTargets.ratio * 100}% of bare, p99 under ${httpTargets.p99Ms} ms, and the page's weight budget.`,
    "",
    "Each round (bare and app back to back, in turn first):",
    "",
    "| page | round | bare req/s | bare p99 ms | app req/s | app p99 ms |",
    "|---|--:|--:|--:|--:|--:|",
    ...roundRows,
    "",
    "Every public read page's weight (HTML and all its JavaScript, inline scripts included, gzipped):",
    "",
    "| page | HTML (gzip) | JS (gzip) | scripts | budget |",
    "|---|--:|--:|--:|---|",
    ...f.weights.map(
      (w) =>
        `| ${w.path} | ${w.htmlGzipKb.toFixed(1)} KB | ${w.jsGzipKb.toFixed(1)} KB | ${w.scripts} | ${overBudget([w]).length === 0 ? "PASS" : "FAIL"} |`,
    ),
    "",
    `Budgets: at most ${pageWeightBudgets.js} KB of JavaScript each; HTML ${Object.entries(pageWeightBudgets.html)
      .map(([path, kb]) => `${path} ${kb} KB`)
      .join(", ")}.`,
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatHttpBench(await benchHttp()));
}
