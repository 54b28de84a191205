import { expect, test } from "vitest";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { signValue, verifySignedValue } from "~/utils/signed-value.server";

test("an app secret is made once and read back the same", async () => {
  const first = await findOrCreateAppSecret({ name: "test-secret" });
  expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await findOrCreateAppSecret({ name: "test-secret" })).toBe(first);
  expect(await findOrCreateAppSecret({ name: "another" })).not.toBe(first);
});

test("a signed value verifies; a changed value or signature does not", () => {
  const secret = "k".repeat(43);
  const signed = signValue({ value: "1700000000000", secret });
  expect(verifySignedValue({ signed, secret })).toBe("1700000000000");
  expect(verifySignedValue({ signed: signed.replace("17", "16"), secret })).toBeNull();
  expect(verifySignedValue({ signed: `${signed}x`, secret })).toBeNull();
  expect(verifySignedValue({ signed, secret: "other" })).toBeNull();
  expect(verifySignedValue({ signed: "0", secret })).toBeNull();
  expect(verifySignedValue({ signed: "", secret })).toBeNull();
});
