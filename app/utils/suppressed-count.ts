// Counts of supporters' asks are never shown or published exactly when they
// are small, so no one can be singled out. One threshold, for the pages and
// the open data alike.

/** Counts below this are not shown exactly. */
export const SUPPRESS_BELOW = 5;

export type SuppressedCount = { exact: true; n: number } | { exact: false; below: number };

export function suppressCount(n: number): SuppressedCount {
  return n < SUPPRESS_BELOW ? { exact: false, below: SUPPRESS_BELOW } : { exact: true, n };
}

/** "1,234" or "fewer than 5" ("Fewer than 5" to start a sentence). */
export function formatSuppressedCount(count: SuppressedCount, { sentenceStart = false } = {}): string {
  if (count.exact) return count.n.toLocaleString("en-GB");
  return `${sentenceStart ? "Fewer" : "fewer"} than ${count.below}`;
}
