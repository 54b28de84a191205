// npm run bench -- [--generated] [NAME …]
// Runs the named benchmarks (all when none is named) and prints their figures
// as Markdown for docs/benchmarks.md. A benchmark reports; it never fails the
// run because a target was missed. Each lives in scripts/bench/ and returns
// its figures, so new ones are added to the list below.
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseCommandLine } from "./command-line";
import { benchAsks, formatAsksBench } from "./bench/asks";
import { benchDbCopy, formatDbCopyBench } from "./bench/db-copy";
import { benchHttp, formatHttpBench } from "./bench/http";
import { benchImport, formatImportBench } from "./bench/import";
import { benchNewConnections, formatNewConnectionsBench } from "./bench/new-connections";
import { benchOutbox, formatOutboxBench } from "./bench/outbox";
import { benchPostcodes, formatPostcodeBench } from "./bench/postcodes";

type Options = { generated: boolean };

const benchmarks: Record<string, { title: string; run: (options: Options) => Promise<string> }> = {
  import: {
    title: "Import (issue 2)",
    run: async ({ generated }) => formatImportBench(await benchImport({ generated })),
  },
  // Against the production server: builds first if there is no build.
  asks: {
    title: "Confirmed asks under load (issue 3)",
    run: async () => formatAsksBench(await benchAsks()),
  },
  // The control for the asks benchmark's tail: the same CPU a request on a bare node:http server.
  "new-connections": {
    title: "New connections against a saturated event loop (control for asks)",
    run: async () => formatNewConnectionsBench(await benchNewConnections()),
  },
  outbox: { title: "Outbox drain (issue 3)", run: async () => formatOutboxBench(await benchOutbox()) },
  http: { title: "Board and map under a spike (issue 5)", run: async () => formatHttpBench(await benchHttp()) },
  "db-copy": {
    title: "Copying a campaign into PostgreSQL (issue 14)",
    run: async () => formatDbCopyBench(await benchDbCopy()),
  },
  // Always generated: the real directory is 1.3 GB and not kept here.
  postcodes: {
    title: "Postcode directory import and lookup",
    run: async () => formatPostcodeBench(await benchPostcodes()),
  },
};

const usage = `Usage: npm run bench -- [--generated] [NAME …]
Benchmarks: ${Object.keys(benchmarks).join(", ")} (all when none is named)
  --generated  use generated data even when the real files are present
  -h, --help   show this help`;

async function main() {
  const args = parseCommandLine({
    command: "npm run bench",
    usage,
    config: { allowPositionals: true, options: { generated: { type: "boolean", default: false } } },
  });
  if ("exitCode" in args) return args.exitCode;
  const names = args.positionals.length > 0 ? args.positionals : Object.keys(benchmarks);
  const unknown = names.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.map((n) => `"${n}"`).join(", ")}.\n${usage}`);
    return 2;
  }

  console.log(`Machine: ${machine()}\n`);
  for (const name of names) {
    const benchmark = benchmarks[name]!;
    const started = performance.now();
    const report = await benchmark.run({ generated: args.values.generated });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`## ${benchmark.title}\n\n${report}\n\n(${name} took ${seconds} s)\n`);
  }
  return 0;
}

function machine() {
  const cpu = cpus()[0]?.model.trim();
  return [
    `${availableParallelism()} CPUs (nproc)${cpu ? `, ${cpu}` : ""}`,
    `Node ${process.version}`,
    `${process.platform} ${process.arch}`,
    // Other work on the machine skews every figure; this says how busy it was.
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    new Date().toISOString(),
  ].join("; ");
}

process.exitCode = await main();
