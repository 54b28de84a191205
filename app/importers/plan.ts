// The shape every importer returns: what would change, and how to write it.
import { formatWithdrawal, type Withdrawal } from "./problems";

// A "conflict" changes nothing: the file disagrees with data staff added (a
// candidate's email they found published elsewhere), and the staff data is kept.
export type ChangeType = "added" | "updated" | "withdrawn" | "removed" | "conflict";

export type Change = {
  type: ChangeType;
  entity: "constituency" | "party" | "candidacy" | "hex";
  key: string;
  label: string;
  /** For updates and conflicts: which fields differ, as "field: old → new". */
  details?: string[];
  /** For a withdrawn candidacy: who, so it can be checked before it is written. */
  withdrawal?: Withdrawal;
};

export type ImportPlan = {
  rows: number;
  unchanged: number;
  changes: Change[];
  /** Writes the changes. Called inside the import's write transaction. */
  apply: () => void | Promise<void>;
};

export function describeDifferences<T extends Record<string, unknown>>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): string[] {
  const details: string[] = [];
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    // Most fields are equal strings or both empty: skip serialising those.
    if ((a ?? null) === (b ?? null)) continue;
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) {
      details.push(`${field}: ${show(a)} → ${show(b)}`);
    }
  }
  return details;
}

function show(value: unknown) {
  if (value === null || value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const oneLine = text.replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > 50 ? `${oneLine.slice(0, 47)}…` : oneLine);
}

/** A conflict's line: the staff-added value, the file's, and which was kept. */
export function describeConflict({ field, staff, file }: { field: string; staff: unknown; file: unknown }) {
  return `${field}: ${show(staff)} → ${show(file)} (conflicts with staff-added data; kept ${show(staff)})`;
}

export function countChanges(changes: Change[], type: ChangeType) {
  return changes.filter((c) => c.type === type).length;
}

/**
 * How `npm run import -- --dry-run` lists one change: its line, then a line a
 * field for an update. One home, so the console's plan can be checked against it.
 */
export function formatChange(change: Change): string[] {
  const what = change.withdrawal ? formatWithdrawal(change.withdrawal) : `${change.key}: ${change.label}`;
  return [
    `  ${change.type.padEnd(9)} ${change.entity} ${what}`,
    ...(change.details ?? []).map((detail) => `      ${detail}`),
  ];
}
