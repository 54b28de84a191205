// What an import reports when input is bad: where (file, line, column) and why.

export type Problem = {
  file: string;
  line?: number;
  column?: string;
  message: string;
};

export class ImportFailed extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(formatProblems(problems));
    this.name = "ImportFailed";
    this.problems = problems;
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line === undefined ? null : `line ${p.line}`]
    .filter(Boolean)
    .join(", ");
  const column = p.column ? ` column "${p.column}":` : "";
  return `${where}:${column} ${p.message}`;
}

/** The first `limit` problems, then a count of the rest. */
export function formatProblems(problems: Problem[], limit = 20): string {
  const shown = problems.slice(0, limit).map(formatProblem);
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`…and ${rest} more problem${rest === 1 ? "" : "s"}`);
  return shown.join("\n");
}
