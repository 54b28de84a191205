// Postcode shape checks shared by the browser-facing forms and the importers.

/**
 * Every UK postcode is an outward code (area letters, a district digit, then
 * an optional digit or letter: A9, A99, A9A, AA9, AA99, AA9A) and an inward
 * code (a digit and two letters), plus Girobank's historic GIR 0AA.
 *
 * This checks the shape only, not Royal Mail's letter-position rules (no Q, V
 * or X first, and so on): the postcode directory is the authority on what
 * exists, and "we cannot find SW1A 1CA" helps someone spot a typo more than
 * "enter a full UK postcode" does. It also lets the sample data use invented
 * areas such as ZZ1 that can never be real.
 */
const postcodeShape = /^(?:[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}|GIR0AA)$/;

// Longer than any postcode with generous spacing: not worth examining.
const maxInputLength = 16;

/**
 * "sw1a1aa", " SW1A  1AA ", "Sw1a 1aA" → "SW1A 1AA"; null when the input
 * cannot be a full UK postcode. The single space goes before the inward code
 * (the last three characters), which is how the ONS directory writes `pcds`.
 */
export function normalisePostcode(input: string): string | null {
  if (input.length > maxInputLength * 4) return null;
  // NFKC turns full-width letters and digits (typed on some phone keyboards)
  // into plain ones; \s covers non-breaking and other Unicode spaces.
  const compact = input.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  if (compact.length > maxInputLength || !postcodeShape.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
