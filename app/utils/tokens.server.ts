import { createHash, randomBytes } from "node:crypto";
import { tokenPathPrefixes } from "./paths";

/**
 * A link token: 256 random bits, URL-safe. Only its SHA-256 is stored, so a
 * leaked database cannot be turned into working links.
 */
export function generateToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string) {
  return sha256Hex(token);
}

/** SHA-256 of a text or a file's bytes, as 64 hex digits. */
export function sha256Hex(data: string | Uint8Array) {
  return createHash("sha256").update(data).digest("hex");
}

/** Tokens are exactly 43 base64url characters; anything else is not worth a query. */
export function looksLikeToken(value: string) {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

// Every link that carries a token: supporters' confirmations, candidates' signing links.
const tokenLinks = new RegExp(`(${tokenPathPrefixes.map(escapeRegExp).join("|")})[A-Za-z0-9_-]{43}`, "g");

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The text with every token link's token struck out. */
export function redactLinkTokens(text: string) {
  return text.replace(tokenLinks, "$1[removed once sent]");
}
