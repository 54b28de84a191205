/** The longest public statement a candidate can give with their answers. */
export const STATEMENT_MAX = 1_000;
