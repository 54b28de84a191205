// The control for the asks benchmark's tail: a bare node:http server that
// spends the same CPU per POST as a submitted ask (2.3 ms, busy-waiting),
// loaded as the asks benchmark loads the app: 100 connections opened at once,
// 3,000 POSTs, three phases. If its new connections' first requests wait
// seconds too, the tail is Node's one saturated event loop accepting a burst of
// connections, not anything the app does.
import { fork } from "node:child_process";
import autocannon from "autocannon";

const childFlag = "PLEDGE_BENCH_NEW_CONNECTIONS_CHILD";
const cpuMsPerRequest = 2.3;

export type NewConnectionsPhase = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  overOneSecond: number;
  overOneSecondFirstOnConnection: number;
};

export async function benchNewConnections({ phases = 3, requests = 3000, connections = 100 } = {}) {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, [childFlag]: "1" },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const port = await new Promise<number>((resolve) => child.once("message", (m) => resolve(Number(m))));
    const results: NewConnectionsPhase[] = [];
    for (let phase = 0; phase < phases; phase++) {
      const latencies: { ms: number; first: boolean }[] = [];
      const answered = new WeakMap<object, number>();
      const run = autocannon({
        url: `http://127.0.0.1:${port}/`,
        connections,
        amount: requests,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=Bench+Supporter&email=s%40bench.example.net&postcode=ZZ4+1AA".repeat(4),
      }) as Promise<autocannon.Result> & {
        on: (event: "response", listener: (client: object, status: number, bytes: number, ms: number) => void) => void;
      };
      run.on("response", (client, _status, _bytes, ms) => {
        const count = (answered.get(client) ?? 0) + 1;
        answered.set(client, count);
        latencies.push({ ms, first: count === 1 });
      });
      const result = await run;
      const slow = latencies.filter((l) => l.ms > 1000);
      results.push({
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        maxMs: result.latency.max,
        overOneSecond: slow.length,
        overOneSecondFirstOnConnection: slow.filter((l) => l.first).length,
      });
    }
    return { cpuMsPerRequest, connections, requests, results };
  } finally {
    child.kill();
  }
}

export function formatNewConnectionsBench(f: Awaited<ReturnType<typeof benchNewConnections>>) {
  return [
    `A bare \`node:http\` server spending ${f.cpuMsPerRequest} ms of CPU on each POST (a submitted ask's cost), ${f.connections} connections opened at once, ${f.requests.toLocaleString("en-GB")} POSTs a phase, load from autocannon in this process.`,
    "",
    "| phase | requests/s | p50 ms | p99 ms | max ms | over 1 s (of which a new connection's first request) |",
    "|--:|--:|--:|--:|--:|--:|",
    ...f.results.map(
      (r, i) =>
        `| ${i + 1} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.overOneSecond} (${r.overOneSecondFirstOnConnection}) |`,
    ),
  ].join("\n");
}

if (process.env[childFlag]) {
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const until = performance.now() + cpuMsPerRequest;
      while (performance.now() < until);
      res.writeHead(302, { location: "/asks/check-your-email" });
      res.end();
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.(typeof address === "object" && address ? address.port : 0);
  });
}
