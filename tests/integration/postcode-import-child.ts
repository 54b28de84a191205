export {};

// A postcode import in a process of its own, for postcode-import.test.ts to
// kill while it writes: `node --import tsx postcode-import-child.ts FILE`.
// It writes one row a transaction, so the writing lasts long enough to be
// interrupted, and says "writing" on stdout when it starts.
const [path] = process.argv.slice(2);
if (!path || !process.env.DATABASE_PATH) throw new Error("usage: DATABASE_PATH=… postcode-import-child.ts FILE");
const { runPostcodeImport } = await import("~/importers/postcodes.server");
await runPostcodeImport({
  path,
  writeBatchRows: 1,
  onProgress: (p) => {
    if (p.phase === "writing") process.stdout.write("writing\n");
  },
});
process.stdout.write("done\n");
