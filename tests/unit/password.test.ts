import { expect, test } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "~/utils/password.server";
import { hasRole } from "~/utils/staff-roles";

const email = "ama.owusu@campaign.example";

test("a password of 12 or more characters that is not easy to guess is accepted, whatever it is made of", () => {
  expect(passwordProblem({ password: "correct horse battery", email })).toBeNull();
  expect(passwordProblem({ password: "zebrafinchmarmalade", email })).toBeNull();
  expect(passwordProblem({ password: "ŵy ŷn ddoniol iawn", email })).toBeNull();
});

test("a short, empty or overlong password says what to do", () => {
  expect(passwordProblem({ password: "", email })).toBe("Enter a password");
  expect(passwordProblem({ password: "elevenchars", email })).toBe("Password must be 12 characters or more");
  expect(passwordProblem({ password: "x".repeat(257), email })).toBe("Password must be 256 characters or fewer");
});

test("common passwords, repeats, runs of keys and the email address are refused", () => {
  for (const password of [
    "password1234",
    "Password1234",
    "qwerty123456",
    "aaaaaaaaaaaa",
    "abababababab",
    "abcdefghijklmn",
    "987654321098",
    email,
    "ama.owusu2024",
  ])
    expect(passwordProblem({ password, email }), password).toMatch(/harder to guess/);
});

test("a hash verifies only its own password, and is argon2id", async () => {
  const hash = await hashPassword("correct horse battery");
  expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(await verifyPassword({ passwordHash: hash, password: "correct horse battery" })).toBe(true);
  expect(await verifyPassword({ passwordHash: hash, password: "correct horse batterY" })).toBe(false);
  expect(await verifyPassword({ passwordHash: "not a hash", password: "x" })).toBe(false);
});

test("each role can do what the roles before it can", () => {
  expect(hasRole({ role: "admin", needed: "organiser" })).toBe(true);
  expect(hasRole({ role: "organiser", needed: "organiser" })).toBe(true);
  expect(hasRole({ role: "viewer", needed: "organiser" })).toBe(false);
  expect(hasRole({ role: "organiser", needed: "admin" })).toBe(false);
});
