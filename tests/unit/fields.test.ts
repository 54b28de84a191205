// The one rule for each kind of value the app takes in (app/utils/fields.ts),
// as the importers, the staff scripts and the forms all use it.
import { expect, test } from "vitest";
import { z } from "zod";
import {
  ballotPaperId,
  cleanStatement,
  electionId,
  emailAddress,
  gssCode,
  personId,
  personName,
  statement,
  webAddress,
} from "~/utils/fields";

function messages(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

test("Democracy Club and ONS identifiers: trimmed, and in their published shapes", () => {
  expect(personId.parse(" 900346 ")).toBe("900346");
  expect(messages(personId, "ruth")).toEqual(["must be a Democracy Club person id (digits)"]);
  expect(electionId.parse("parl.2024-07-04")).toBe("parl.2024-07-04");
  expect(electionId.parse("local.bristol.2025-05-01")).toBe("local.bristol.2025-05-01");
  expect(messages(electionId, "2024 general election")).toEqual([
    "must be a Democracy Club election id such as parl.2024-07-04",
  ]);
  expect(ballotPaperId.parse("parl.aldershot.2024-07-04")).toBe("parl.aldershot.2024-07-04");
  expect(messages(ballotPaperId, "parl.2024-07-04")).toEqual(["must be a ballot id such as parl.aldershot.2024-07-04"]);
  expect(gssCode.parse("E14001063 ")).toBe("E14001063");
  expect(messages(gssCode, "L99999999")).toEqual(["must be a GSS code such as E14001063"]);
});

test("an email address and a web address", () => {
  expect(messages(emailAddress(), "ada@example.org")).toEqual([]);
  expect(messages(emailAddress(), "not-an-email")).toEqual(["must be an email address"]);
  expect(messages(emailAddress("Enter an email address in the correct format"), "x")).toEqual([
    "Enter an email address in the correct format",
  ]);
  expect(messages(webAddress, "http://example.org/e")).toEqual([]);
  expect(messages(webAddress, "https://example.org/e")).toEqual([]);
  expect(messages(webAddress, "javascript:alert(1)")).toEqual(["must be a web address starting http:// or https://"]);
});

test("a person's name: required, no control characters, nothing that reads as a formula or hides text", () => {
  const imported = personName({ required: "a candidate name is required" });
  expect(imported.parse("  Siân Llŷr ")).toBe("Siân Llŷr");
  expect(messages(imported, " ")[0]).toBe("a candidate name is required");
  expect(messages(imported, "Gil\u0007es")).toEqual(["must only include letters, spaces and punctuation"]);
  expect(messages(imported, "=1+1")).toEqual(["must not start with =, +, - or @"]);

  // A form puts its subject in front of each rule, and may cap the length; the first message is the one shown.
  const typed = personName({ required: "Enter your name", subject: "Your name", max: 100 });
  expect(messages(typed, "")[0]).toBe("Enter your name");
  expect(messages(typed, "a".repeat(101))).toEqual(["Your name must be 100 characters or fewer"]);
  expect(messages(typed, "@Dev")).toEqual(["Your name must not start with =, +, - or @"]);
  expect(messages(typed, "Fa\u200Bye")).toEqual(["Your name must not contain invisible characters"]);
});

test("a statement is cleaned as it will be shown (plain text, \\n line ends) and capped at 1000 characters", () => {
  expect(cleanStatement("  One\r\ntwo\rthree\u0007\n ")).toBe("One\ntwo\nthree");
  expect(statement().parse("  I sign.\r\n")).toBe("I sign.");
  expect(statement().parse("a".repeat(1000))).toHaveLength(1000);
  expect(messages(statement(), "a".repeat(1001))).toEqual(["must be 1000 characters or fewer"]);
  expect(messages(statement({ subject: "Your statement" }), "a".repeat(1001))).toEqual([
    "Your statement must be 1000 characters or fewer",
  ]);
});
