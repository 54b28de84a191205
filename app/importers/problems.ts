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

/**
 * An import that would withdraw candidates, run without saying that is meant.
 * A file that no longer lists someone withdraws them, and so does a wrong or
 * partial file; nothing has been written. `withdrawals` says who, for the
 * person at the keyboard (the CLI, later the staff console) to check.
 */
export class WithdrawalsNotConfirmed extends Error {
  readonly file: string;
  readonly withdrawals: Withdrawal[];

  constructor(file: string, withdrawals: Withdrawal[]) {
    super(
      `${file}: would withdraw ${withdrawals.length} candidate${withdrawals.length === 1 ? "" : "s"}; nothing was written`,
    );
    this.name = "WithdrawalsNotConfirmed";
    this.file = file;
    this.withdrawals = withdrawals;
  }
}

export type Withdrawal = { personId: string; name: string; partyName: string; constituencyName: string };

/** "900123 Ada Quennell, Labour Party, Harbury Cross". */
export function formatWithdrawal(w: Withdrawal): string {
  return `${w.personId} ${w.name}, ${w.partyName}, ${w.constituencyName}`;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line === undefined ? null : `line ${p.line}`].filter(Boolean).join(", ");
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
