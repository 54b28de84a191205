// The postcode benchmark: generates a full-size ONS Postcode Directory (2.7
// million rows, 52 columns, every value quoted as ONS publishes it, ~1.4 GB),
// imports it with the app's streaming importer into a fresh database, imports
// it again (nothing changes), then times postcode lookups. During each import
// a second process (postcode-prober.ts) does what the web server does, a
// lookup and a small write transaction every 5 ms, and records how long each
// waited.
//
// It runs in this process: DATABASE_PATH is pointed at a fresh file before the
// app's modules are first imported, since importing db.server opens the
// database. Run it on its own or after benchmarks that fork their own processes.
import { closeDb } from "#db/index";
import { fork } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import type { ProbeFigures } from "./postcode-prober";

const dataDir = fileURLToPath(new URL("../../data/", import.meta.url));
const proberScript = fileURLToPath(new URL("./postcode-prober.ts", import.meta.url));

export type PostcodeBenchFigures = {
  rows: number;
  bytes: number;
  generateSeconds: number;
  /** The prober for 15 s with no import running. */
  idle: ProbeFigures;
  first: ImportFigures;
  second: ImportFigures;
  databaseBytes: number;
  peakRssBytes: number;
  lookups: { count: number; findPostcodePerSecond: number; lookUpPostcodePerSecond: number; microsecondsEach: number };
};

type ImportFigures = {
  seconds: number;
  rowsPerSecond: number;
  /** Streaming, checking and staging the file. */
  readSeconds: number;
  /** Working out the difference, before the write lock. */
  compareSeconds: number;
  /** Writing the new generation in short transactions, publishing it, cleaning up. */
  writeSeconds: number;
  /** What the web server's connection saw meanwhile. */
  probe: ProbeFigures;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
};

// The same 52 columns as the real directory (postcodes.io's labels), and a
// real row's values for the columns the importer does not read, so each
// generated row is as wide as a real one.
const header =
  "pcd7,pcd8,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21";
const template =
  "SE1P5ZZ,SE1P 5ZZ,SE1P 5ZZ,201008,,E99999999,E99999999,E09000028,E05011104,E43000218,1,533378,0178838,1,E18000007,E40000003,E92000001,E12000007,5,E14001085,E15000007,E24000014,E30000234,E16000059,E09000028,00BEGL,E00020027,00BEGL,E65000001,E01003979,E02000812,5,2A2,E00020027,E01003979,E02000812,E33030598,E38000244,E63004965,A1,2D3,51.492762,-0.080152,E37000051,,E23000001,8253,E56000010,E54000030,E00020027,E01003979,E02000812".split(
    ",",
  );
// The columns after pcds/dointr/doterm (5–18) and after pcon (20–51), quoted once.
const middle = template
  .slice(5, 19)
  .map((v) => `"${v}"`)
  .join(",");
const tail = template
  .slice(20)
  .map((v) => `"${v}"`)
  .join(",");

// Real postcode areas, so the outward codes have real widths (B1, AB10, SW1A…).
const areas = (
  "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL " +
  "GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH " +
  "PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
).split(" ");
const unitLetters = "ABDEFGHJLNPQRSTUWXYZ";
// The sample election's constituencies, so lookups join to a real row.
const sampleCodes = [
  "E14009001",
  "E14009002",
  "E14009003",
  "E14009004",
  "E14009005",
  "E14009006",
  "E14009007",
  "E14009008",
  "S14009001",
  "S14009002",
  "S14009003",
  "W07009001",
  "W07009002",
  "W07009003",
  "N05009001",
  "N05009002",
];

/**
 * Streams `rows` rows to `path` (never the whole file in memory) and returns a
 * spread of the postcodes written, for the lookup benchmark. About a third are
 * terminated, as in the real directory; a few are in no constituency.
 */
export async function writeGeneratedDirectory({ path, rows }: { path: string; rows: number }) {
  const out = createWriteStream(path);
  const picked: string[] = [];
  const pickEvery = Math.max(1, Math.floor(rows / 5000));
  let chunk = `${header}\n`;
  let n = 0;
  const districts = Math.ceil(rows / (areas.length * 10 * 90));
  outer: for (const area of areas) {
    for (let district = 1; district <= districts; district++) {
      for (let sector = 0; sector <= 9; sector++) {
        for (let unit = 0; unit < 90; unit++) {
          if (n === rows) break outer;
          const outward = `${area}${district}`;
          const inward = `${sector}${unitLetters[Math.floor(unit / 20)]}${unitLetters[unit % 20]}`;
          const pcds = `${outward} ${inward}`;
          const pcd7 = outward + " ".repeat(Math.max(0, 4 - outward.length)) + inward;
          const pcd8 = `${outward.padEnd(4)} ${inward}`;
          const terminated = n % 3 === 0;
          const pcon = n % 997 === 0 ? "L99999999" : sampleCodes[district % sampleCodes.length];
          chunk += `"${pcd7}","${pcd8}","${pcds}","198001","${terminated ? "200306" : ""}",${middle},"${pcon}",${tail}\n`;
          if (n % pickEvery === 0) picked.push(pcds);
          n++;
          if (chunk.length > 1 << 20) {
            if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
            chunk = "";
          }
        }
      }
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(chunk, resolve);
  });
  return { rows: n, picked };
}

export async function benchPostcodes({
  rows = 2_700_000,
  lookups = 200_000,
  log = (line: string) => process.stderr.write(`${line}\n`),
}: { rows?: number; lookups?: number; log?: (line: string) => void } = {}): Promise<PostcodeBenchFigures> {
  if ((globalThis as { pledgeDb?: unknown }).pledgeDb) {
    throw new Error(
      "the postcode benchmark must open its own database: run it before anything imports app/utils/db.server",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-postcodes-"));
  const csv = join(dir, "ONSPD_BENCH.csv");
  const databasePath = join(dir, "bench.sqlite");
  try {
    log(`postcodes: generating ${rows.toLocaleString("en-GB")} rows in ${csv}…`);
    let started = performance.now();
    const generated = await writeGeneratedDirectory({ path: csv, rows });
    const generateSeconds = (performance.now() - started) / 1000;
    const bytes = statSync(csv).size;

    process.env.DATABASE_PATH = databasePath;
    const { migrateDb } = await import("#db/index");
    const { db } = await import("~/utils/db.server");
    const { loadSampleElectionIfEmpty } = await import("~/importers/sample.server");
    const { runPostcodeImport } = await import("~/importers/postcodes.server");
    const { findPostcode } = await import("~/models/postcode.server");
    const { createPostcodeLookup } = await import("~/models/postcode-lookup.server");
    if (db.$client.name !== databasePath)
      throw new Error(`expected the database at ${databasePath}, got ${db.$client.name}`);
    await migrateDb(db);
    await loadSampleElectionIfEmpty({ dir: dataDir });

    let peakRssBytes = 0;
    const timeImport = async (label: string): Promise<ImportFigures> => {
      const prober = startProber(databasePath, generated.picked.slice(0, 500));
      started = performance.now();
      const at: Record<string, number> = {};
      const result = await runPostcodeImport({
        path: csv,
        onProgress: (p) => {
          at[p.phase] = performance.now();
          peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
          if (p.phase === "reading" && p.rows % 500_000 === 0)
            log(`postcodes: ${label}: ${p.rows.toLocaleString("en-GB")} rows read…`);
          if (p.phase === "writing") log(`postcodes: ${label}: writing…`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const probe = await prober.stop();
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
      const { added, updated, removed, unchanged } = result;
      const between = (from: string, to: string) => ((at[to] ?? 0) - (at[from] ?? 0)) / 1000;
      return {
        seconds,
        rowsPerSecond: result.rows / seconds,
        readSeconds: ((at.comparing ?? 0) - started) / 1000,
        compareSeconds: between("comparing", "writing"),
        writeSeconds: between("writing", "done"),
        probe,
        added,
        updated,
        removed,
        unchanged,
      };
    };
    // The same prober with no import running: the machine's own floor.
    const idleProber = startProber(databasePath, generated.picked.slice(0, 500));
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const idle = await idleProber.stop();
    const first = await timeImport("first import");
    const second = await timeImport("second import");
    // The WAL is checkpointed into the file so its size is the table's.
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const databaseBytes = statSync(databasePath).size;

    // Lookups: the picked postcodes, written as people type them, plus some
    // that do not exist. Warmed up first so the timing is the steady state.
    const inputs = generated.picked.flatMap((pc, i) => [pc, pc.toLowerCase().replace(" ", ""), `ZZ${i % 99} 9ZZ`]);
    const normalised = generated.picked;
    for (let i = 0; i < 10_000; i++) await findPostcode({ postcode: normalised[i % normalised.length]! });
    started = performance.now();
    for (let i = 0; i < lookups; i++) await findPostcode({ postcode: normalised[i % normalised.length]! });
    const findSeconds = (performance.now() - started) / 1000;
    const lookUp = createPostcodeLookup({ mode: "local" });
    started = performance.now();
    for (let i = 0; i < lookups; i++) await lookUp(inputs[i % inputs.length]!);
    const lookUpSeconds = (performance.now() - started) / 1000;
    await closeDb(db);

    return {
      rows: generated.rows,
      bytes,
      generateSeconds,
      idle,
      first,
      second,
      databaseBytes,
      peakRssBytes,
      lookups: {
        count: lookups,
        findPostcodePerSecond: lookups / findSeconds,
        lookUpPostcodePerSecond: lookups / lookUpSeconds,
        microsecondsEach: (findSeconds * 1e6) / lookups,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The prober in its own process, on its own connection, until `stop`. */
function startProber(databasePath: string, postcodes: string[]) {
  let figures: ProbeFigures | undefined;
  // process.execArgv carries tsx's loader, so the child runs TypeScript too.
  const child = fork(proberScript, postcodes, {
    env: { ...process.env, DATABASE_PATH: databasePath },
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("message", (message) => {
    figures = message as ProbeFigures;
  });
  const exited = new Promise<ProbeFigures>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (figures && code === 0) resolve(figures);
      else reject(new Error(`postcode prober failed (${signal ?? `exit code ${code}`})`));
    });
  });
  return {
    stop() {
      child.send("stop");
      return exited;
    },
  };
}

const count = (n: number) => Math.round(n).toLocaleString("en-GB");
const mb = (n: number) => `${count(n / 1e6)} MB`;

/** The figures as Markdown, ready for docs/benchmarks.md. */
export function formatPostcodeBench(f: PostcodeBenchFigures): string {
  const row = (label: string, i: ImportFigures) =>
    `| ${label} | ${i.seconds.toFixed(1)} | ${count(i.rowsPerSecond)} | ${i.readSeconds.toFixed(1)} | ${i.compareSeconds.toFixed(1)} | ${i.writeSeconds.toFixed(1)} | ${count(i.added)} | ${count(i.updated)} | ${count(i.removed)} | ${count(i.unchanged)} |`;
  const ms = (n: number) => n.toFixed(1);
  const probe = (label: string, p: ProbeFigures) =>
    `| ${label} | ${count(p.writes)} | ${ms(p.writeMs.p50)} | ${ms(p.writeMs.p99)} | ${ms(p.writeMs.max)} | ${count(p.writeMs.over100)} | ${ms(p.lockWaitMs.p99)} | **${ms(p.lockWaitMs.max)}** | ${count(p.lockWaitMs.over100)} | ${ms(p.readMs.p99)} | ${ms(p.readMs.max)} |`;
  return [
    `Data: a GENERATED ONS Postcode Directory: ${count(f.rows)} rows, 52 columns, every value quoted, ${mb(f.bytes)} ` +
      `(written in ${f.generateSeconds.toFixed(1)} s). One fresh SQLite file (WAL, synchronous=FULL) holding the sample election.`,
    "",
    "| import | total s | rows/s | read, check, stage s | compare s | write, publish, clean up s | added | updated | removed | unchanged |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    row("first, into the sample's 52 postcodes", f.first),
    row("second, the same file again", f.second),
    "",
    "Meanwhile, the web server's connection (another process; a lookup and a one-row write transaction every 5 ms):",
    "",
    "| during | writes | write p50 ms | p99 ms | longest ms | over 100 ms | lock wait p99 ms | longest lock wait ms | lock waits over 100 ms | lookup p99 ms | longest lookup ms |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    probe("no import (15 s)", f.idle),
    probe("first import", f.first.probe),
    probe("second import", f.second.probe),
    "",
    `Database after import: ${mb(f.databaseBytes)}. Peak resident memory during the imports: ${mb(f.peakRssBytes)}.`,
    "",
    "| lookup | per second | µs each |",
    "|---|--:|--:|",
    `| findPostcode (prepared statement, with its constituency) | ${count(f.lookups.findPostcodePerSecond)} | ${f.lookups.microsecondsEach.toFixed(1)} |`,
    `| lookUpPostcode, local (normalise, look up, classify; a third unknown) | ${count(f.lookups.lookUpPostcodePerSecond)} | ${(1e6 / f.lookups.lookUpPostcodePerSecond).toFixed(1)} |`,
    "",
    `(${count(f.lookups.count)} lookups each, spread over the table.)`,
  ].join("\n");
}

// Run directly: `npx tsx scripts/bench/postcodes.ts [ROWS]`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(formatPostcodeBench(await benchPostcodes({ rows })));
}
