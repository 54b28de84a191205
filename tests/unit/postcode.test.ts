import { expect, test } from "vitest";
import { normalisePostcode } from "~/utils/postcode";

test.each([
  ["sw1a1aa", "SW1A 1AA"],
  ["SW1A 1AA", "SW1A 1AA"],
  ["  sw1a   1aa  ", "SW1A 1AA"],
  ["s w 1 a 1 a a", "SW1A 1AA"],
  ["Sw1A1aA", "SW1A 1AA"],
  ["SW1A\t1AA", "SW1A 1AA"],
  ["SW1A\u00a01AA", "SW1A 1AA"],
  ["SW1A\n1AA", "SW1A 1AA"],
  // Full-width characters from some phone keyboards.
  ["ＳＷ１Ａ １ＡＡ", "SW1A 1AA"],
])("normalises %j to %s", (input, expected) => {
  expect(normalisePostcode(input)).toBe(expected);
});

test.each([
  ["M1 1AE", "A9 9AA"],
  ["B33 8TH", "A99 9AA"],
  ["W1A 0AX", "A9A 9AA"],
  ["CR2 6XH", "AA9 9AA"],
  ["DN55 1PT", "AA99 9AA"],
  ["EC1A 1BB", "AA9A 9AA"],
  ["SE1P 5ZZ", "a large-user, non-geographic postcode"],
  ["GIR 0AA", "Girobank's historic postcode"],
  ["BX1 1LT", "a non-geographic postcode with no real area"],
  ["JE2 4WD", "Jersey"],
  ["ZZ1 1AA", "the sample election's invented area"],
])("accepts %s (%s)", (postcode) => {
  expect(normalisePostcode(postcode.toLowerCase().replace(" ", ""))).toBe(postcode);
});

test.each([
  ["", "empty"],
  ["   ", "only spaces"],
  ["SW1A", "outward code only"],
  ["1AA", "inward code only"],
  ["SW1A 1A", "inward code too short"],
  ["SW1A 1AAA", "inward code too long"],
  ["SW1A AAA", "inward code without its digit"],
  ["SW1A 11A", "inward code with two digits"],
  ["S1WA 1AA", "digit in the wrong place"],
  ["SWA1 1AA", "three letters before the district digit"],
  ["1W1A 1AA", "starts with a digit"],
  ["SW12A 1AA", "outward code too long"],
  ["GIR 0AB", "GIR with another inward code"],
  ["SW1A-1AA", "punctuation"],
  ["SW1A 1ÄA", "a letter outside A–Z"],
  ["not a postcode", "words"],
  ["SW1A 1AA SW1A 1AA", "two postcodes"],
  ["x".repeat(10_000), "very long input"],
])("rejects %j (%s)", (input) => {
  expect(normalisePostcode(input)).toBeNull();
});
