// The staff import page: who may use it, that a forged post changes nothing,
// that its dry run (a job, run by a worker thread) is the command line's, and
// that importing for real takes a second press on the dry run's page, which
// imports exactly the checked file (and confirms its withdrawals).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, candidacies, hexes, importJobs, importRuns } from "#db/schema";
import { runImport } from "~/importers/import.server";
import { formatChange } from "~/importers/plan";
import { ImportFailed } from "~/importers/problems";
import type { ImportSummary } from "~/importers/upload.server";
import { action, loader } from "~/routes/staff.imports";
import { loader as jobLoader } from "~/routes/staff.imports_.$jobId";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import { realDataDir } from "../real-data";
import { buildCandidate, buildSeat, dcCsv, hexJson, hocCsv, writeInputFile } from "../factories";
import { apply, check, followToJob, jobUrl, postToJob, upload } from "../imports";
import { settle, signedInStaff, staffGet, staffUpload } from "../staff";

const url = "http://localhost/staff/imports";
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const now = () => new Date("2024-06-10T09:00:00.000Z");

const harbury = buildSeat({ name: "Harbury Cross" });
const linwood = buildSeat({ name: "Linwood and Stye" });

/** Two seats and three candidates, imported as the command line would. */
async function importElection() {
  await runImport({ path: writeInputFile("seats.csv", hocCsv([harbury, linwood])), now });
  const ada = buildCandidate(harbury, { person_name: "Ada Quennell" });
  const bryn = buildCandidate(harbury, { person_name: "Bryn Tolley" });
  const cerys = buildCandidate(linwood, { person_name: "Cerys Mawdsley" });
  await runImport({ path: writeInputFile("may.csv", dcCsv([ada, bryn, cerys])), now });
  return { ada, bryn, cerys };
}

/** A newer candidates file: Ada renamed, Bryn gone (a withdrawal), Dev new. */
function juneFile({ ada, cerys }: Awaited<ReturnType<typeof importElection>>) {
  const dev = buildCandidate(linwood, { person_name: "Dev Ashgrove" });
  return dcCsv([{ ...ada, person_name: "Ada Quennell-Price" }, cerys, dev]);
}

type Page = { data: Record<string, unknown>; init: ResponseInit };
type Checked = { outcome: "checked"; summary: ImportSummary };

function sha256Of(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

/** Where the page keeps an upload: beside the database, never in build/ or public/. */
function storedUpload(sha256: string, ext = "csv") {
  return join(dirname(process.env.DATABASE_PATH!), "uploads", `${sha256}.${ext}`);
}

async function importAudits() {
  return await db.select().from(auditLog).where(eq(auditLog.action, "import.apply"));
}

/** Every line a change prints, as `npm run import -- --dry-run` prints it, grouped by change and sorted. */
function planLines(summary: ImportSummary) {
  return (["added", "updated", "withdrawn", "removed"] as const)
    .flatMap((type) => summary.changes[type].shown.map((c) => formatChange(c).join("\n")))
    .sort();
}

test("signed out, the page sends you to sign in; a viewer gets a 403; an organiser sees it, never cached", async () => {
  const signedOut = (await settle(async () => loader({ request: staffGet(url), params: {}, context: {} }))) as Response;
  expect(signedOut.headers.get("Location")).toBe(`/staff/sign-in?next=${encodeURIComponent("/staff/imports")}`);
  const viewer = await signedInStaff("viewer");
  const refused = (await settle(async () =>
    loader({ request: staffGet(url, viewer), params: {}, context: {} }),
  )) as Response;
  expect(refused.status).toBe(403);
  const organiser = await signedInStaff("organiser");
  const page = (await loader({ request: staffGet(url, organiser), params: {}, context: {} })) as unknown as Page;
  expect(page.data).toMatchObject({ history: [], running: null });
  expect(new Headers(page.init.headers).get("Cache-Control")).toBe("no-store");
});

test("a viewer can neither check nor import a file, nor see a job's page", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const { id } = await check(organiser, "june.csv", contents);
  const viewer = await signedInStaff("viewer");
  const before = await snapshotDatabase();

  const checking = (await upload(viewer, "june.csv", contents)) as Response;
  const applying = (await postToJob(viewer, id, { intent: "apply", confirmWithdrawals: "1" })) as Response;
  const viewing = (await settle(async () =>
    jobLoader({ request: staffGet(jobUrl(id), viewer), params: { jobId: String(id) }, context: {} }),
  )) as Response;

  expect(checking.status).toBe(403);
  expect(applying.status).toBe(403);
  expect(viewing.status).toBe(403);
  expect(await snapshotDatabase()).toEqual(before);
}, 60_000);

test("forged posts (no token, a wrong token, another origin) neither store a file nor import one", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const sha256 = sha256Of(contents);
  const forgeries = [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }];
  for (const forgery of forgeries) {
    const checking = (await settle(() =>
      action({
        request: staffUpload(url, organiser, { file: { name: "june.csv", contents } }, forgery),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(checking.status).toBe(403);
  }
  // The upload is dropped unread: a forged post leaves nothing on the disk either.
  expect(existsSync(storedUpload(sha256))).toBe(false);
  expect(await db.select().from(importJobs)).toEqual([]);

  const { id } = await check(organiser, "june.csv", contents);
  expect(existsSync(storedUpload(sha256))).toBe(true);
  const before = await snapshotDatabase();
  for (const forgery of forgeries) {
    const applying = (await postToJob(
      organiser,
      id,
      { intent: "apply", confirmWithdrawals: "1" },
      forgery,
    )) as Response;
    expect(applying.status).toBe(403);
  }
  expect(await snapshotDatabase()).toEqual(before);
  expect(await importAudits()).toEqual([]);
}, 60_000);

test("the page's dry run lists exactly the changes `npm run import -- --dry-run` prints for the same file, and writes nothing", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const before = await snapshotDatabase();

  const { job } = await check(organiser, "june.csv", contents);
  const checked = job.result as Checked;
  const { import_jobs: _jobs, ...after } = await snapshotDatabase();
  const { import_jobs: _none, ...unchanged } = before;
  expect(after).toEqual(unchanged);

  // The command line, run as a person would, on this test's database.
  const path = writeInputFile("june.csv", contents);
  const cli = spawnSync("npx", ["tsx", "scripts/import.ts", "--dry-run", path], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_PATH: process.env.DATABASE_PATH },
    encoding: "utf8",
  });
  expect(cli.status, cli.stderr).toBe(0);
  const [first, ...rest] = cli.stdout.trimEnd().split("\n");
  const cliBlocks: string[] = [];
  for (const line of rest) {
    if (line.startsWith("      ")) cliBlocks[cliBlocks.length - 1] += `\n${line}`;
    else if (!line.startsWith("  (")) cliBlocks.push(line);
  }

  expect(job).toMatchObject({ action: "check", status: "done", fileName: "june.csv" });
  expect(checked.outcome).toBe("checked");
  expect(checked.summary).toMatchObject({
    kind: "dc-candidates",
    fileName: "june.csv",
    sha256: sha256Of(contents),
    rows: 3,
    withdrawn: 1,
  });
  expect(planLines(checked.summary)).toEqual(cliBlocks.sort());
  expect(planLines(checked.summary)).toEqual(
    expect.arrayContaining([
      `  updated   candidacy ${election.ada.person_id}: Ada Quennell-Price (Harbury Cross)\n      name: "Ada Quennell" → "Ada Quennell-Price"`,
      `  withdrawn candidacy ${election.bryn.person_id} Bryn Tolley, Labour Party, Harbury Cross`,
    ]),
  );
  expect(first).toContain(`: dry run, nothing written: ${checked.summary.line}`);
}, 120_000);

test("a bad file's problems are shown with their file, line and column, the database is unchanged and the file deleted", async () => {
  await importElection();
  const organiser = await signedInStaff("organiser");
  const bad = dcCsv([buildCandidate(harbury, { person_name: "" }), buildCandidate(harbury, { person_id: "P-42" })]);
  const before = await snapshotDatabase();

  const { job } = await check(organiser, "bad.csv", bad);

  let expected: unknown;
  try {
    await runImport({ path: writeInputFile("bad.csv", bad), dryRun: true, now });
  } catch (error) {
    expected = (error as ImportFailed).problems;
  }
  expect(expected).toHaveLength(3);
  expect(job).toMatchObject({ status: "done", result: { outcome: "problems", total: 3, problems: expected } });
  expect((job.result!.problems as { line: number; column: string }[]).map((p) => [p.line, p.column])).toEqual([
    [2, "person_name"],
    [2, "person_name"],
    [3, "person_id"],
  ]);
  const { import_jobs: _jobs, ...after } = await snapshotDatabase();
  const { import_jobs: _none, ...unchanged } = before;
  expect(after).toEqual(unchanged);
  expect(existsSync(storedUpload(sha256Of(bad)))).toBe(false);
}, 60_000);

test("importing takes the checked file by its SHA-256: a stored file changed since, or gone, is refused; only a finished dry run can be imported", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const { id, job } = await check(organiser, "june.csv", contents);
  const { sha256 } = (job.result as Checked).summary;
  const before = (await snapshotDatabase()).candidacies;

  writeFileSync(storedUpload(sha256), contents.replace("Quennell-Price", "Quennell-Smith"));
  const changed = await apply(organiser, id, { confirmWithdrawals: "1" });
  expect(changed.page?.job).toMatchObject({ status: "done", result: { outcome: "problems" } });
  expect(JSON.stringify(changed.page?.job.result)).toContain("the file has changed since it was checked");
  // A file that has failed its check is no use to anyone.
  expect(existsSync(storedUpload(sha256))).toBe(false);

  const gone = await apply(organiser, id, { confirmWithdrawals: "1" });
  expect(gone.page?.job.result).toEqual({
    outcome: "refused",
    message: "That upload is not on the server any more. Upload the file again.",
  });

  const notADryRun = (await postToJob(organiser, changed.id!, { intent: "apply" })) as Page;
  expect(notADryRun.init.status).toBe(400);
  expect(notADryRun.data.errors).toEqual({ apply: "Only a finished dry run can be imported: check the file again" });
  const noSuchJob = (await postToJob(organiser, 9999, { intent: "apply" })) as Response;
  expect(noSuchJob.status).toBe(404);
  expect((await snapshotDatabase()).candidacies).toEqual(before);
}, 60_000);

test("withdrawals need the checkbox, for exactly the number shown; then the import is written, recorded and audited", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const { id, job } = await check(organiser, "june.csv", contents);
  const { sha256 } = (job.result as Checked).summary;
  const before = await snapshotDatabase();

  const unconfirmed = (await postToJob(organiser, id, { intent: "apply" })) as Page;
  const wrongCount = (await postToJob(organiser, id, { intent: "apply", confirmWithdrawals: "2" })) as Page;
  expect(unconfirmed.init.status).toBe(400);
  expect(unconfirmed.data.errors).toEqual({
    confirmWithdrawals: "Confirm the 1 withdrawal to import this file, or upload a corrected file",
  });
  expect((job.result as Checked).summary.withdrawals.shown.map((w) => w.name)).toEqual(["Bryn Tolley"]);
  expect(wrongCount.init.status).toBe(400);
  expect(await snapshotDatabase()).toEqual(before);

  const applied = await apply(organiser, id, { confirmWithdrawals: "1" });

  const result = applied.page!.job.result as { outcome: string; importRunId: number; summary: ImportSummary };
  expect(result).toMatchObject({ outcome: "applied", summary: { withdrawn: 1, fileName: "june.csv" } });
  const statuses = (await db.select({ name: candidacies.name, status: candidacies.status }).from(candidacies)).sort(
    (a, b) => a.name.localeCompare(b.name),
  );
  expect(statuses).toEqual([
    { name: "Ada Quennell-Price", status: "standing" },
    { name: "Bryn Tolley", status: "withdrawn" },
    { name: "Cerys Mawdsley", status: "standing" },
    { name: "Dev Ashgrove", status: "standing" },
  ]);
  const run = (await db.select().from(importRuns).where(eq(importRuns.id, result.importRunId)).limit(1))[0]!;
  expect(run).toMatchObject({ kind: "dc-candidates", fileName: "june.csv", sha256, dryRun: false, withdrawn: 1 });
  const [audit, ...more] = await importAudits();
  expect(more).toEqual([]);
  expect(audit).toMatchObject({
    actor: organiser.account.email,
    subject: `import-run:${run.id}`,
    details: {
      kind: "dc-candidates",
      fileName: "june.csv",
      sha256,
      counts: { rows: 3, added: run.added, updated: run.updated, withdrawn: 1, removed: 0, unchanged: run.unchanged },
    },
  });
  expect(existsSync(storedUpload(sha256))).toBe(false);

  const page = (await loader({ request: staffGet(url, organiser), params: {}, context: {} })) as unknown as Page;
  const history = page.data.history as { id: number; fileName: string; sha256: string }[];
  expect(history.map((h) => [h.fileName, h.sha256])).toEqual([
    ["june.csv", sha256],
    ["may.csv", expect.any(String)],
    ["seats.csv", expect.any(String)],
  ]);
}, 60_000);

test("an import without withdrawals needs no checkbox; a HexJSON layout is named after the uploaded file, not its hash", async () => {
  await runImport({ path: writeInputFile("seats.csv", hocCsv([harbury, linwood])), now });
  const organiser = await signedInStaff("organiser");
  const layout = hexJson({ hexes: { [harbury.gssCode]: { q: 0, r: 0 }, [linwood.gssCode]: { q: 1, r: 0 } } });
  const { id, job } = await check(organiser, "uk-2024.hexjson", layout);
  expect((job.result as Checked).summary).toMatchObject({ kind: "hexjson", withdrawn: 0 });
  expect(existsSync(storedUpload(sha256Of(layout), "json"))).toBe(true);

  const applied = await apply(organiser, id);

  expect(applied.page?.job.result).toMatchObject({ outcome: "applied" });
  expect(await db.select({ layoutId: hexes.layoutId }).from(hexes)).toEqual([
    { layoutId: "uk-2024" },
    { layoutId: "uk-2024" },
  ]);
  expect(existsSync(storedUpload(sha256Of(layout), "json"))).toBe(false);
}, 60_000);

test("discarding a dry run's file deletes it and is audited; the dry run can no longer be imported", async () => {
  const election = await importElection();
  const contents = juneFile(election);
  const organiser = await signedInStaff("organiser");
  const { id } = await check(organiser, "june.csv", contents);

  const discarded = (await postToJob(organiser, id, { intent: "discard" })) as Response;

  expect(discarded.headers.get("Location")).toBe("/staff/imports");
  expect(existsSync(storedUpload(sha256Of(contents)))).toBe(false);
  expect(await db.select().from(auditLog).where(eq(auditLog.action, "import.discard"))).toEqual([
    expect.objectContaining({
      actor: organiser.account.email,
      subject: `import-job:${id}`,
      details: { fileName: "june.csv", sha256: sha256Of(contents) },
    }),
  ]);
  const later = await apply(organiser, id, { confirmWithdrawals: "1" });
  expect(later.page?.job.result).toMatchObject({ outcome: "refused" });
}, 60_000);

test("while a dry run runs, a second upload is refused, saying whose import is running, and stores nothing", async () => {
  const election = await importElection();
  const organiser = await signedInStaff("organiser");
  const first = await upload(organiser, "june.csv", juneFile(election));
  const july = dcCsv([buildCandidate(linwood)]);
  const second = (await upload(organiser, "july.csv", july)) as Page;

  expect(second.init.status).toBe(409);
  expect(second.data.errors).toEqual({
    file: `Another import is running (a dry run of june.csv, started by ${organiser.account.email}). Wait for it to finish, then try again`,
  });
  const page = (await loader({ request: staffGet(url, organiser), params: {}, context: {} })) as unknown as Page;
  expect(page.data.running).toMatchObject({ action: "check", fileName: "june.csv" });
  expect(existsSync(storedUpload(sha256Of(july)))).toBe(false);
  await followToJob(organiser, first);
}, 60_000);

test("the postcode directory is refused with a pointer to the command line, whether detected or chosen", async () => {
  const organiser = await signedInStaff("organiser");
  const before = await snapshotDatabase();
  const directory = "pcds,pcon,doterm\nSW1A 1AA,E14001172,\n";

  const detected = await check(organiser, "ONSPD.csv", directory);
  const chosen = (await upload(organiser, "ONSPD.csv", directory, "onspd-postcodes")) as Page;
  const noFile = (await settle(() =>
    action({ request: staffUpload(url, organiser, { fields: { kind: "" } }), params: {}, context: {} }),
  )) as Page;

  expect(detected.job.result?.outcome).toBe("refused");
  expect(String(detected.job.result?.message)).toContain("npm run import");
  expect(chosen.init.status).toBe(400);
  expect(String((chosen.data.errors as { kind: string }).kind)).toContain("command line");
  expect(noFile.data.errors).toEqual({ file: "Select a file to check" });
  const { import_jobs: _jobs, ...after } = await snapshotDatabase();
  const { import_jobs: _none, ...unchanged } = before;
  expect(after).toEqual(unchanged);
  expect(existsSync(storedUpload(sha256Of(directory)))).toBe(false);
}, 60_000);

const realData = realDataDir("the staff import page's real-data test");

test.skipIf(!realData)(
  "the 4,515 candidates of 2024 check and import through the page, the plan bounded to 200 rows a table",
  async () => {
    const organiser = await signedInStaff("organiser");
    const read = (name: string) => readFileSync(join(realData!, name), "utf8");
    const seats = await check(organiser, "ons.csv", read("ons-pcon24-names-and-codes-uk-v2.csv"));
    await apply(organiser, seats.id);
    const candidates = read("oi-ge2024-candidates.csv");

    const started = Date.now();
    const checked = await check(organiser, "oi-ge2024-candidates.csv", candidates);
    const applied = await apply(organiser, checked.id);
    const seconds = (Date.now() - started) / 1000;

    const { summary } = checked.job.result as Checked;
    expect(summary).toMatchObject({ kind: "oi-candidates", rows: 4_515, withdrawn: 0 });
    expect(summary.changes.added.shown).toHaveLength(200);
    expect(summary.changes.added.total).toBe(summary.added);
    expect(JSON.stringify(checked.job).length).toBeLessThan(200_000);
    expect(applied.page?.job.result).toMatchObject({ outcome: "applied" });
    expect(await db.select({ id: candidacies.id }).from(candidacies)).toHaveLength(4_515);
    console.info(`checked and imported 4,515 candidates through the page in ${seconds.toFixed(1)} s`);
  },
  120_000,
);
