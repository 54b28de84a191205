// The real 2024 election files live beside the repository, in
// ../shared/realdata (too big, and not ours, to commit). Tests that need them
// skip when the folder is missing, and say so.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Path arithmetic, not `new URL`: jsdom's URL (in the .tsx tests) is not Node's.
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "realdata");

/** The real-data folder, or null (with a line saying which tests skip) when it is missing. */
export function realDataDir(skipping: string): string | null {
  if (existsSync(folder)) return folder;
  console.warn(`Skipping ${skipping}: the folder ${folder} is missing.`);
  return null;
}
