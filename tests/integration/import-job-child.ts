export {};

// A server process, as far as import jobs go, for import-jobs.test.ts to kill
// while its import writes: `node --import tsx import-job-child.ts SHA256`
// imports the stored upload big.csv in a job and says "writing" on stdout
// once the worker has begun writing it.
const [sha256] = process.argv.slice(2);
if (!sha256 || !process.env.DATABASE_PATH) throw new Error("usage: DATABASE_PATH=… import-job-child.ts SHA256");
const { readImportJob, startImport } = await import("~/importers/import-jobs.server");
const started = await startImport({
  action: "apply",
  sha256,
  fileName: "big.csv",
  kind: undefined,
  replaceStaffEmails: false,
  confirmedWithdrawals: null,
  startedBy: "organiser@campaign.example",
  now: new Date(),
});
if (!started.started) throw new Error("the import did not start");
// Every 5 ms, one look at a time (a look is async now: no two overlap).
for (;;) {
  const job = await readImportJob({ id: started.id, now: new Date() });
  if (job?.progress?.phase === "writing") process.stdout.write("writing\n");
  if (job?.status !== "running") {
    process.stdout.write(`${job?.status}\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
