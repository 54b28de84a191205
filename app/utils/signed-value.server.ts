import { createHmac, timingSafeEqual } from "node:crypto";

/** "value.signature": HMAC-SHA256, so a client can carry a value it cannot forge. */
export function signValue({ value, secret }: { value: string; secret: string }): string {
  return `${value}.${mac(value, secret)}`;
}

/** The value if its signature is right, else null. */
export function verifySignedValue({ signed, secret }: { signed: string; secret: string }): string | null {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(mac(value, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

function mac(value: string, secret: string) {
  return createHmac("sha256", secret).update(value).digest("base64url");
}
