// The one way a form shows its errors: zod issues become one message per
// field, in the page's order, and the page title says "Error: ".
import { createRemixStub } from "@remix-run/testing";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { z } from "zod";
import { ConstituencyPicker } from "~/components/constituency-picker";
import { errorTitle, fieldErrorsOf } from "~/utils/forms";

const form = z.object({
  name: z
    .string()
    .min(1, "Enter your name")
    .regex(/^[a-z]*$/, "Your name must be lower case"),
  email: z.email("Enter an email address in the correct format, like name@example.com"),
  candidacyIds: z.array(z.coerce.number().int()).min(1, "Select at least one candidate to write to"),
});

function errorsFor(values: unknown) {
  const parsed = form.safeParse(values);
  if (parsed.success) throw new Error("expected the form to fail");
  return fieldErrorsOf(parsed.error);
}

test("each field in error gets its first message, in the order the form lists its fields", () => {
  const errors = errorsFor({ name: "", email: "nope", candidacyIds: [] });

  expect(errors).toEqual({
    name: "Enter your name",
    email: "Enter an email address in the correct format, like name@example.com",
    candidacyIds: "Select at least one candidate to write to",
  });
  expect(Object.keys(errors)).toEqual(["name", "email", "candidacyIds"]);
});

test("an issue inside a field (one of several checkboxes) is that field's error", () => {
  expect(errorsFor({ name: "ada", email: "ada@example.org", candidacyIds: ["x"] })).toEqual({
    candidacyIds: expect.any(String),
  });
});

test("fields that pass have no entry", () => {
  expect(errorsFor({ name: "Ada", email: "ada@example.org", candidacyIds: [1] })).toEqual({
    name: "Your name must be lower case",
  });
});

test("the page title starts 'Error: ' only when some field has a message", () => {
  expect(errorTitle("Sign the pledge", { statement: "Your statement must be 1000 characters or fewer" })).toBe(
    "Error: Sign the pledge",
  );
  expect(errorTitle("Sign the pledge", {})).toBe("Sign the pledge");
  expect(errorTitle("Sign the pledge", { statement: undefined })).toBe("Sign the pledge");
  expect(errorTitle("Sign the pledge", null)).toBe("Sign the pledge");
});

test("the constituency picker shows its error as every other field does: message, aria-describedby, aria-invalid", () => {
  const choices = [
    { name: "Calderbrook", slug: "calderbrook", nation: "England" },
    { name: "Afon Deg", slug: "afon-deg", nation: "Wales" },
  ];
  // Remix's <Form> needs a router with data APIs.
  const Stub = createRemixStub([
    {
      path: "/find",
      Component: () => <ConstituencyPicker choices={choices} error="Choose your constituency from the list" />,
    },
  ]);
  const html = renderToStaticMarkup(<Stub initialEntries={["/find"]} />);

  expect(html).toContain('<div class="form-group form-group--error">');
  expect(html).toContain(
    '<p id="constituency-error" class="error-message"><span class="visually-hidden">Error:</span> Choose your constituency from the list</p>',
  );
  expect(html).toMatch(
    /<select class="select select--error" id="constituency" name="constituency" aria-describedby="constituency-error" aria-invalid="true">/,
  );
  expect(html).toContain('<optgroup label="England"><option value="calderbrook">Calderbrook</option></optgroup>');
  expect(html).toContain('<optgroup label="Wales"><option value="afon-deg">Afon Deg</option></optgroup>');
});
