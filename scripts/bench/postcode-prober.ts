// Run by scripts/bench/postcodes.ts: acts as the web server while a postcode
// import runs, on its own connection in its own process (as remix-serve
// would), and reports the longest waits. Every 5 ms it looks a postcode up
// and makes a small write, as a request that records a rate-limit hit does:
// an IMMEDIATE transaction that waits (busy_timeout) while the import holds
// the write lock. Stops and reports on the parent's "stop" message.
//   DATABASE_PATH=… postcode-prober.ts POSTCODE…
export type ProbeFigures = {
  writes: number;
  reads: number;
  writeMs: { max: number; p99: number; p50: number; over100: number };
  /** Of each write, the wait for the write lock alone (BEGIN IMMEDIATE): what an import can cause. */
  lockWaitMs: { max: number; p99: number; over100: number };
  readMs: { max: number; p99: number };
};

const postcodes = process.argv.slice(2);
if (!process.env.DATABASE_PATH || postcodes.length === 0 || !process.send) {
  throw new Error("run by scripts/bench/postcodes.ts: DATABASE_PATH=… postcode-prober.ts POSTCODE…");
}
// The app's own connection (db/index.ts pragmas, 5 s busy_timeout) and models.
const { closeDb, withWriter } = await import("#db/index");
const { db } = await import("~/utils/db.server");
const { findPostcode } = await import("~/models/postcode.server");
const { deleteOldRateLimits, hitRateLimit } = await import("~/models/rate-limit.server");
// writeTransaction's BEGIN IMMEDIATE and COMMIT, spelled out so the wait for
// the lock can be told from the machine's own delays (fsync, a busy CPU).
const lockWaitMs: number[] = [];
async function write() {
  return withWriter(db, async (client) => {
    const started = performance.now();
    client.exec("BEGIN IMMEDIATE");
    lockWaitMs.push(performance.now() - started);
    await hitRateLimit({ key: "bench:postcode-prober", limit: 1e9, windowMs: 3_600_000, now: new Date() });
    client.exec("COMMIT");
  });
}

const writeMs: number[] = [];
const readMs: number[] = [];
let stop = false;
process.on("message", () => {
  stop = true;
});

let i = 0;
while (!stop) {
  let started = performance.now();
  await findPostcode({ postcode: postcodes[i++ % postcodes.length]! });
  readMs.push(performance.now() - started);
  started = performance.now();
  await write();
  writeMs.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await deleteOldRateLimits({ before: new Date(Date.now() + 3_600_000) });
await closeDb(db);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
const w = sorted(writeMs);
const r = sorted(readMs);
const l = sorted(lockWaitMs);
const figures: ProbeFigures = {
  writes: w.length,
  reads: r.length,
  writeMs: { max: w.at(-1) ?? 0, p99: at(w, 0.99), p50: at(w, 0.5), over100: w.filter((ms) => ms > 100).length },
  lockWaitMs: { max: l.at(-1) ?? 0, p99: at(l, 0.99), over100: l.filter((ms) => ms > 100).length },
  readMs: { max: r.at(-1) ?? 0, p99: at(r, 0.99) },
};
process.send(figures, () => process.exit(0));
