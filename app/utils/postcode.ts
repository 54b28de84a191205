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

/** A postcode lookup that found no constituency, as the postcode lookup says it (models/postcode-lookup.server.ts). */
type PostcodeNotFound =
  | { status: "invalid" }
  | { status: "unknown"; postcode: string }
  | { status: "terminated"; postcode: string; terminatedOn: string | null }
  | { status: "no-constituency"; postcode: string; reason: "outside" | "not-covered" };

/**
 * Why a postcode led to no constituency, in one plain-English sentence (the
 * inline error and the error summary's link, GOV.UK), ending with what else
 * the form offers: `invalid` is the whole sentence for a postcode of the
 * wrong shape, `otherwise` ends the rest ("or choose your constituency from the list").
 */
export function postcodeProblem(
  result: PostcodeNotFound,
  { invalid, otherwise }: { invalid: string; otherwise: string },
) {
  switch (result.status) {
    case "invalid":
      return invalid;
    case "unknown":
      return `We cannot find the postcode ${result.postcode}. Check it and try again, ${otherwise}`;
    case "terminated": {
      const when = result.terminatedOn ? ` (it stopped being used in ${monthYear(result.terminatedOn)})` : "";
      return `The postcode ${result.postcode} is no longer in use${when}. Enter your current postcode, ${otherwise}`;
    }
    case "no-constituency":
      return result.reason === "outside"
        ? `${result.postcode} is not in a UK Parliament constituency (for example, it is in the Channel Islands or the Isle of Man). Check your postcode, ${otherwise}`
        : `We do not have details of the constituency for ${result.postcode} yet. Check your postcode, ${otherwise}`;
  }
}

/** "2015-06" → "June 2015". */
function monthYear(yearMonth: string) {
  const [year, month] = yearMonth.split("-").map(Number);
  if (!year || !month) return yearMonth;
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString("en-GB", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}
