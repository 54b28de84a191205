// Client addresses are only ever stored as keyed hashes (HMAC-SHA-256), never
// in clear or as a plain SHA-256 (which anyone can reverse for IPv4 by trying
// all four billion addresses). Rate limits and the review rules look back an
// hour at most, so they hash under a key per UTC day; keys older than
// yesterday are deleted, and with them any way to link an old hash to an
// address. The block list must match for ever, so it has a key of its own
// whose hashes are kept in block entries and, for their short life, on asks.
// docs/decisions/014-keyed-rotating-client-hashes.md
import { createHmac } from "node:crypto";
import { deleteAppSecretsBefore, findOrCreateAppSecret, readOrCreateAppSecret } from "~/models/app-secret.server";
import { DAY } from "~/utils/time";

const DAY_KEY_PREFIX = "client-hash:";

function utcDayOf(time: Date) {
  return time.toISOString().slice(0, 10);
}

function keyedHash(key: string, value: string) {
  return createHmac("sha256", key).update(value).digest("base64url").slice(0, 22);
}

/**
 * A client address or network hashed under today's key (UTC): the same
 * address hashes alike all day, differently tomorrow.
 */
export async function clientHash({ value, now }: { value: string; now: Date }) {
  return keyedHash(await readOrCreateAppSecret({ name: `${DAY_KEY_PREFIX}${utcDayOf(now)}`, now }), value);
}

/** A client address or network as a block-list entry matches it, under a key that never rotates. */
export async function blockListHash(value: string) {
  return keyedHash(await findOrCreateAppSecret({ name: "block-list-hash" }), value);
}

/**
 * An email in a rate-limit key: stable, so a day-long limit holds across
 * midnight, and keyed, so the key cannot be checked against a list of emails.
 */
export async function emailKeyHash(email: string) {
  return keyedHash(await findOrCreateAppSecret({ name: "email-key-hash" }), email.trim().toLowerCase());
}

/** Deletes the day keys before yesterday's (UTC), so hashes made under them can no longer be linked. */
export async function deleteOldClientHashKeys({ now }: { now: Date }) {
  return deleteAppSecretsBefore({ prefix: DAY_KEY_PREFIX, before: utcDayOf(new Date(now.getTime() - DAY)) });
}
