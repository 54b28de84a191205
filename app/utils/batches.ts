// SQLite takes at most 32,766 bound parameters a statement (999 before
// 3.32): an `in (…)` over thousands of ids goes in slices of this many.
const BATCH = 500;

/** The items in consecutive slices of at most 500, for `inArray` queries. */
export function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  return batches;
}
