import { expect, test } from "vitest";
import { paths, tokenPathPrefixes, withQuery } from "~/utils/paths";
import { redactLinkTokens } from "~/utils/tokens.server";

test("withQuery leaves out empty values and encodes the rest as links always have", () => {
  expect(withQuery(paths.ask("bath"), { postcode: "BA1 1AA" })).toBe("/constituencies/bath/ask?postcode=BA1%201AA");
  expect(withQuery(paths.constituency("bath"), { postcode: "" })).toBe("/constituencies/bath");
  expect(withQuery(paths.checkYourEmail, { constituency: "bath", other: null })).toBe(
    "/asks/check-your-email?constituency=bath",
  );
});

test("the redaction strikes out the token of every token path, and nothing else", () => {
  const token = "A".repeat(43);
  for (const prefix of tokenPathPrefixes) {
    expect(redactLinkTokens(`see http://x${prefix}${token} now`)).toBe(`see http://x${prefix}[removed once sent] now`);
  }
  expect(redactLinkTokens(`http://x${paths.candidate(token)}`)).toBe(`http://x/candidates/${token}`);
});
