// Browser imports as jobs: a worker thread runs the importer while the job
// row says "running"; the job then holds the importer's answer (a plan,
// problems, an import). One runs at a time, a job whose process died is shown
// as interrupted (with nothing written, even under kill -9), and uploads are
// deleted once imported, found bad, or a day old.
import { writeTransaction } from "#db/index";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, candidacies, importJobs, importRuns } from "#db/schema";
import { readImportJob, startImport, type ImportJobResult } from "~/importers/import-jobs.server";
import { runImport } from "~/importers/import.server";
import type { Progress } from "~/importers/types";
import { pruneUploads, storeUpload } from "~/importers/upload.server";
import { scheduledJobs } from "~/mail/scheduled-jobs.server";
import { failImportJob, findImportJob, startImportJob } from "~/models/import-job.server";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import { buildCandidate, buildSeat, dcCsv, hocCsv, writeInputFile } from "../factories";
import { DAY, HOUR } from "../time";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const now = new Date("2024-06-10T09:00:00.000Z");
const actor = "organiser@campaign.example";
const harbury = buildSeat({ name: "Harbury Cross" });

async function importSeat() {
  await runImport({ path: writeInputFile("seats.csv", hocCsv([harbury])), now: () => now });
}

function uploadsFolder() {
  return join(dirname(process.env.DATABASE_PATH!), "uploads");
}

async function upload(name: string, contents: string) {
  return storeUpload({ file: new File([contents], name, { type: "text/csv" }) });
}

function candidatesFile(n: number) {
  return dcCsv(Array.from({ length: n }, () => buildCandidate(harbury)));
}

async function finished(id: number) {
  for (let i = 0; i < 600; i++) {
    const job = (await readImportJob({ id, now: new Date() }))!;
    if (job.status !== "running") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import job ${id} did not finish within 30 s`);
}

async function check(stored: { sha256: string; fileName: string }) {
  const started = await startImport({
    action: "check",
    ...stored,
    kind: undefined,
    replaceStaffEmails: false,
    confirmedWithdrawals: null,
    startedBy: actor,
    now,
  });
  if (!started.started) throw new Error("a check did not start");
  return started.id;
}

async function apply(stored: { sha256: string; fileName: string }, checkJobId: number) {
  return startImport({
    action: "apply",
    ...stored,
    kind: undefined,
    replaceStaffEmails: false,
    confirmedWithdrawals: null,
    checkJobId,
    startedBy: actor,
    now,
  });
}

function outcomeOf(result: ImportJobResult | null) {
  return result?.outcome;
}

test("a dry run runs as a job: running at once, then done with the plan, writing nothing and keeping the file", async () => {
  await importSeat();
  const stored = await upload("june.csv", candidatesFile(3));
  const before = await snapshotDatabase();

  const id = await check(stored);
  expect(await readImportJob({ id, now })).toMatchObject({ status: "running", action: "check", startedBy: actor });
  const job = await finished(id);

  expect(job.status).toBe("done");
  // Three candidacies and their party.
  expect(job.result).toMatchObject({ outcome: "checked", summary: { kind: "dc-candidates", rows: 3, added: 4 } });
  expect(job.finishedAt).not.toBeNull();
  const { import_jobs: jobs, ...after } = await snapshotDatabase();
  const { import_jobs: _none, ...unchanged } = before;
  expect(after).toEqual(unchanged);
  expect(jobs).toHaveLength(1);
  expect(existsSync(join(uploadsFolder(), `${stored.sha256}.csv`))).toBe(true);
}, 60_000);

test("the second press imports in a job of its own: recorded, audited in the same commit, and the file deleted", async () => {
  await importSeat();
  const stored = await upload("june.csv", candidatesFile(3));
  const checkId = await check(stored);
  await finished(checkId);

  const started = await apply(stored, checkId);
  expect(started.started).toBe(true);
  const job = await finished(started.started ? started.id : 0);

  expect(job.status).toBe("done");
  expect(outcomeOf(job.result)).toBe("applied");
  const importRunId = job.result?.outcome === "applied" ? job.result.importRunId : 0;
  expect((await db.select().from(importRuns).where(eq(importRuns.id, importRunId)).limit(1))[0]).toMatchObject({
    fileName: "june.csv",
    sha256: stored.sha256,
    added: 4,
  });
  expect(await db.select().from(auditLog).where(eq(auditLog.action, "import.apply"))).toEqual([
    expect.objectContaining({ actor, subject: `import-run:${importRunId}` }),
  ]);
  expect(await db.select({ id: candidacies.id }).from(candidacies)).toHaveLength(3);
  expect(await findImportJob({ id: job.id })).toMatchObject({ action: "apply", checkJobId: checkId });
  expect(existsSync(join(uploadsFolder(), `${stored.sha256}.csv`))).toBe(false);
}, 60_000);

test("a bad file's job is done with its problems by line and column; the database is unchanged and the file deleted", async () => {
  await importSeat();
  const stored = await upload("bad.csv", dcCsv([buildCandidate(harbury, { person_id: "P-42" })]));
  const before = (await snapshotDatabase()).candidacies;

  const job = await finished(await check(stored));

  expect(job.status).toBe("done");
  expect(job.result).toMatchObject({
    outcome: "problems",
    total: 1,
    problems: [{ file: "bad.csv", line: 2, column: "person_id" }],
  });
  expect((await snapshotDatabase()).candidacies).toEqual(before);
  expect(existsSync(join(uploadsFolder(), `${stored.sha256}.csv`))).toBe(false);
}, 60_000);

test("while one import runs a second is refused, naming the one running; once it is done the next may start", async () => {
  await importSeat();
  const first = await upload("june.csv", candidatesFile(3));
  const second = await upload("july.csv", candidatesFile(2));

  const id = await check(first);
  const refused = await startImport({
    action: "check",
    ...second,
    kind: undefined,
    replaceStaffEmails: false,
    confirmedWithdrawals: null,
    startedBy: "someone-else@campaign.example",
    now,
  });

  expect(refused).toEqual({
    started: false,
    running: expect.objectContaining({ id, action: "check", fileName: "june.csv", startedBy: actor }),
  });
  expect(await db.select({ id: importJobs.id }).from(importJobs)).toEqual([{ id }]);
  // The database holds the rule too, whichever process asks.
  await expect(
    writeTransaction(db, () =>
      db.insert(importJobs).values({
        action: "check",
        sha256: second.sha256,
        fileName: "july.csv",
        startedBy: actor,
        runner: "another",
      }),
    ),
  ).rejects.toThrow(/UNIQUE|duplicate key/);
  await finished(id);
  expect(await check(second)).toBeGreaterThan(id);
}, 60_000);

test("a job left running by a server that stopped is shown as interrupted, and no longer blocks the next", async () => {
  const stored = await upload("june.csv", candidatesFile(1));
  const lost = await startImportJob({
    action: "apply",
    ...stored,
    kind: null,
    startedBy: actor,
    runner: "a server that was killed",
    now,
  });
  expect(lost.started).toBe(true);
  const id = lost.started ? lost.id : 0;

  expect(await readImportJob({ id, now })).toMatchObject({ status: "interrupted", finishedAt: now.toISOString() });
  expect(await check(stored)).toBeGreaterThan(id);
});

test("an error the importer did not expect fails the job once; a finished job keeps its answer", async () => {
  const started = await startImportJob({
    action: "check",
    sha256: "ab".repeat(32),
    fileName: "june.csv",
    kind: null,
    startedBy: actor,
    runner: "this test",
    now,
  });
  const id = started.started ? started.id : 0;

  expect(await failImportJob({ id, error: "disk I/O error", now })).toBe(true);
  expect(await failImportJob({ id, error: "again", now })).toBe(false);
  expect(await findImportJob({ id })).toMatchObject({ status: "failed", error: "disk I/O error" });
});

test("a dry run reports its progress every 250 rows as it checks them", async () => {
  await importSeat();
  const seen: Progress[] = [];
  await runImport({
    path: writeInputFile("big.csv", candidatesFile(600)),
    dryRun: true,
    now: () => now,
    onProgress: (p) => {
      seen.push(p);
    },
  });
  expect(seen.filter((p) => p.phase === "checking")).toEqual([
    { phase: "checking", rows: 600, done: 0 },
    { phase: "checking", rows: 600, done: 250 },
    { phase: "checking", rows: 600, done: 500 },
    { phase: "checking", rows: 600, done: 600 },
  ]);
});

test("uploads older than a day are pruned, on the scheduled jobs' clock too; a running job's file is kept", async () => {
  rmSync(uploadsFolder(), { recursive: true, force: true });
  const old = await upload("old.csv", "a,b\n1,2\n");
  const fresh = await upload("fresh.csv", "a,b\n3,4\n");
  const reading = await upload("reading.csv", "a,b\n5,6\n");
  const written = Date.now();
  // The files are written now; the clock the jobs are given decides their age.
  const at = (ms: number) => new Date(written + ms);
  utimesSync(join(uploadsFolder(), `${fresh.sha256}.csv`), at(20 * HOUR), at(20 * HOUR));
  await startImportJob({ action: "check", ...reading, kind: null, startedBy: actor, runner: "this test", now });

  expect(await pruneUploads({ now: at(23 * HOUR) })).toBe(0);
  expect(await pruneUploads({ now: at(DAY + HOUR) })).toBe(1);
  expect(readdirSync(uploadsFolder()).sort()).toEqual([`${fresh.sha256}.csv`, `${reading.sha256}.csv`].sort());
  expect(old.sha256).not.toBe(fresh.sha256);

  for (const job of scheduledJobs) await job(at(2 * DAY));
  expect(readdirSync(uploadsFolder())).toEqual([`${reading.sha256}.csv`]);
});

test("an import killed (kill -9) while it writes leaves the database unchanged, and its job interrupted", async () => {
  await importSeat();
  const stored = await upload("big.csv", candidatesFile(12_000));
  const checkId = await check(stored);
  await finished(checkId);
  const before = await snapshotDatabase();

  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./import-job-child.ts", import.meta.url)), stored.sha256],
    {
      cwd: repoRoot,
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("writing")) resolve();
    });
    child.once("exit", () => reject(new Error("the child exited before it wrote")));
  });
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");

  const { import_jobs: jobs, ...after } = await snapshotDatabase();
  const { import_jobs: _jobs, ...unchanged } = before;
  expect(after).toEqual(unchanged);
  const applyJob = (jobs as { id: number; action: string }[]).find((j) => j.action === "apply")!;
  expect(await readImportJob({ id: applyJob.id, now })).toMatchObject({ status: "interrupted", result: null });
}, 120_000);
