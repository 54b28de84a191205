import { hash, verify } from "@node-rs/argon2";
import { passwordPolicy } from "~/utils/password-policy";

// The longer entries of the most-used password lists (12 characters or more:
// a shorter one fails the length rule anyway), and the words people build them from.
const commonPasswords = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456123456",
  "123123123123",
  "111111111111",
  "000000000000",
  "qwertyuiopas",
  "qwertyuiop123",
  "qwerty123456",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "zaq12wsxcde3",
  "asdfghjkl123",
  "password1234",
  "password12345",
  "password123456",
  "passwordpassword",
  "p@ssw0rd1234",
  "iloveyou1234",
  "letmein12345",
  "welcome12345",
  "welcome123456",
  "changeme1234",
  "administrator",
  "admin1234567",
  "adminadmin123",
  "football1234",
  "baseball1234",
  "sunshine1234",
  "princess1234",
  "trustno1trustno1",
  "correcthorsebatterystaple",
  "rallywithrefugees",
  "refugeeswelcome",
]);

/** Why a password cannot be used, in GOV.UK error wording, or null if it can. */
export function passwordProblem({ password, email }: { password: string; email: string }): string | null {
  if (password === "") return "Enter a password";
  const length = [...password].length;
  if (length < passwordPolicy.minLength) return `Password must be ${passwordPolicy.minLength} characters or more`;
  if (length > passwordPolicy.maxLength) return `Password must be ${passwordPolicy.maxLength} characters or fewer`;
  const folded = password.toLowerCase().replace(/\s+/g, "");
  const localPart = email.toLowerCase().split("@")[0] ?? "";
  if (
    commonPasswords.has(folded) ||
    new Set(folded).size < 4 ||
    isRun(folded) ||
    folded === email.toLowerCase() ||
    (localPart.length >= 4 && folded.startsWith(localPart) && folded.length - localPart.length < 6)
  )
    return "Choose a password that is harder to guess: this one is a common password, a run of keys or your email address";
  return null;
}

// "abcdefghijkl", "987654321098": each character one more (or one less) than
// the last; digits wrap round, as on a keyboard's number row.
function isRun(text: string) {
  const steps = new Set<number>();
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    const digits = /\d/.test(text[i]!) && /\d/.test(text[i - 1]!);
    steps.add(digits && Math.abs(step) === 9 ? -Math.sign(step) : step);
  }
  return steps.size === 1 && [1, -1].includes([...steps][0] ?? 0);
}

// @node-rs/argon2 hashes with argon2id by default, at OWASP's recommended
// minimum (19 MiB, 2 passes, 1 lane): about 15 ms on this project's CI machine, so a sign-in stays quick
// and a stolen hash stays slow to attack.
export function hashPassword(password: string) {
  return hash(password);
}

export function verifyPassword({ passwordHash, password }: { passwordHash: string; password: string }) {
  return verify(passwordHash, password).catch(() => false);
}
