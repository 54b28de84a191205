// The outbox benchmark: how fast the worker drains queued mail into an SMTP
// server on 127.0.0.1 over the pooled transport the app uses. Target: 200
// mails/s. Also the local-mailbox drain (no SMTP_URL), for comparison.
//
// The SMTP server (smtp-server, accepting and discarding) runs in this
// process; the drain runs in a child process on a fresh SQLite file, because
// the app opens its one database handle from DATABASE_PATH when first
// imported, and so the two sides do not share one event loop.
//
// Run alone: npx tsx scripts/bench/outbox.ts [MAILS]
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const outboxTarget = 200;

type RunFigures = { mails: number; enqueueMs: number; drainMs: number; sent: number; received?: number };

export type OutboxBenchFigures = {
  mails: number;
  repetitions: number;
  smtp: RunFigures[];
  local: RunFigures[];
  /** Median mails per second over the SMTP runs. */
  smtpRate: number;
  localRate: number;
  pass: boolean;
};

const thisFile = fileURLToPath(import.meta.url);
const childFlag = "PLEDGE_BENCH_OUTBOX_CHILD";

export async function benchOutbox({
  mails = 2000,
  repetitions = 3,
}: { mails?: number; repetitions?: number } = {}): Promise<OutboxBenchFigures> {
  const { SMTPServer } = await import("smtp-server");
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-outbox-"));
  try {
    const smtp: RunFigures[] = [];
    const local: RunFigures[] = [];
    // A first, unrecorded run warms the SMTP server's side of the socket code.
    await runChild({ databasePath: join(dir, "warm-up.sqlite"), smtpUrl: url, mails: Math.min(mails, 200) });
    for (let i = 0; i < repetitions; i++) {
      const before = received;
      const run = await runChild({ databasePath: join(dir, `smtp-${i}.sqlite`), smtpUrl: url, mails });
      smtp.push({ ...run, received: received - before });
      local.push(await runChild({ databasePath: join(dir, `local-${i}.sqlite`), smtpUrl: "", mails }));
    }
    const rate = (run: RunFigures) => run.sent / (run.drainMs / 1000);
    const smtpRate = median(smtp.map(rate));
    return {
      mails,
      repetitions,
      smtp,
      local,
      smtpRate,
      localRate: median(local.map(rate)),
      pass: smtpRate >= outboxTarget,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild({ databasePath, smtpUrl, mails }: { databasePath: string; smtpUrl: string; mails: number }) {
  return new Promise<RunFigures>((resolve, reject) => {
    let figures: RunFigures | undefined;
    // process.execArgv carries tsx's loader, so the child runs TypeScript too.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_PATH: databasePath,
      [childFlag]: "1",
      BENCH_MAILS: String(mails),
    };
    delete env.SMTP_URL;
    if (smtpUrl) env.BENCH_SMTP_URL = smtpUrl;
    else delete env.BENCH_SMTP_URL;
    const child = fork(thisFile, [], {
      env,
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (message) => {
      figures = message as RunFigures;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (figures && code === 0) resolve(figures);
      else reject(new Error(`outbox benchmark run failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** In the child: queue the mails, then time one drain. */
async function measureDrain(): Promise<RunFigures> {
  const mails = Number(process.env.BENCH_MAILS);
  // Imported only now, with DATABASE_PATH set: importing db.server opens it.
  const { migrateDb, writeTransaction } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { saveCampaign } = await import("~/models/campaign.server");
  const { enqueueMail } = await import("~/models/outbox.server");
  const { createMailTransport } = await import("~/mail/transport.server");
  const { drainOutbox } = await import("~/mail/worker.server");
  await migrateDb(db);
  const now = new Date();
  await saveCampaign({
    savedBy: "npm run campaign",
    now,
    settings: {
      name: "Benchmark Pledge",
      slug: "benchmark",
      summary: "A benchmark campaign.",
      electionId: "parl.2024-07-04",
      electionName: "UK Parliament general election 2024",
      electionDate: "2024-07-04",
      fromEmail: "pledge@bench.example.org",
      points: [{ title: "A point", body: "Its body." }],
      askHourlyCap: 20,
      wordingVariants: [],
      messagePrompts: [],
    },
  });
  // A body the size of a real candidate mail (about 2 kB).
  const body = `Dear Candidate,\n\n${"I am asking you to sign the pledge for clean rivers in our constituency. ".repeat(25)}\n\nhttp://localhost:3000/constituencies/fenhallow/pledge\n`;
  const enqueueStarted = performance.now();
  // Confirmation queues a constituency's mails in one transaction; a few per transaction here.
  for (let i = 0; i < mails; i += 5) {
    await writeTransaction(db, async () => {
      for (let j = i; j < Math.min(i + 5, mails); j++) {
        await enqueueMail({
          kind: "candidate-ask",
          toAddress: `candidate${j}@candidates.example.org`,
          toName: `Candidate ${j}`,
          replyTo: `supporter${j}@example.net`,
          subject: "Will you sign the Benchmark pledge? A constituent in Fenhallow asks",
          textBody: body,
          now,
        });
      }
    });
  }
  const enqueueMs = performance.now() - enqueueStarted;
  const transport = createMailTransport(process.env.BENCH_SMTP_URL);
  const drainStarted = performance.now();
  const counts = await drainOutbox({ transport, now });
  const drainMs = performance.now() - drainStarted;
  transport.close();
  db.$client.close();
  if (counts.sent !== mails) throw new Error(`sent ${counts.sent} of ${mails}: ${JSON.stringify(counts)}`);
  return { mails, enqueueMs, drainMs, sent: counts.sent };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The figures as Markdown, ready to paste into docs/benchmarks.md. */
export function formatOutboxBench(f: OutboxBenchFigures): string {
  const row = (name: string, run: RunFigures, i: number) =>
    `| ${name} ${i + 1} | ${run.sent.toLocaleString("en-GB")} | ${run.enqueueMs.toFixed(0)} | ${run.drainMs.toFixed(0)} | ${(run.sent / (run.drainMs / 1000)).toFixed(0)} |`;
  return [
    `${f.mails.toLocaleString("en-GB")} queued mails (about 2 kB each) per run, ${f.repetitions} runs each, every run in a fresh process on a fresh SQLite file (WAL, synchronous=FULL).`,
    "SMTP: the pooled nodemailer transport (5 connections, 10 sends in flight) to smtp-server on 127.0.0.1 in another process, accepting and discarding.",
    "Local: no SMTP_URL, each mail rendered and stored in the local mailbox table.",
    "",
    "| run | mails | enqueue ms | drain ms | mails/s |",
    "|---|--:|--:|--:|--:|",
    ...f.smtp.map((run, i) => row("SMTP", run, i)),
    ...f.local.map((run, i) => row("local mailbox", run, i)),
    "",
    `Median SMTP drain: ${f.smtpRate.toFixed(0)} mails/s, target ≥ ${outboxTarget}: ${f.pass ? "PASS" : "FAIL"}. Local mailbox: ${f.localRate.toFixed(0)} mails/s.`,
  ].join("\n");
}

if (process.env[childFlag] === "1") {
  const figures = await measureDrain();
  process.send!(figures, () => process.exit(0));
} else if (process.argv[1] === thisFile) {
  console.log(formatOutboxBench(await benchOutbox({ mails: Number(process.argv[2] ?? 2000) })));
}
