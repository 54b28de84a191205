import { createHash } from "node:crypto";

// The security headers, in one place. The page cache replays a page's bytes
// and headers together, so a nonce would be replayed too: each page's policy
// names the SHA-256 of each inline script it carries instead (Remix's
// <Scripts> and <ScrollRestoration> write a few).

const inlineScript = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The CSP source for each inline script in a document, e.g. 'sha256-…'. */
export function inlineScriptHashes(html: string) {
  const hashes = new Set<string>();
  for (const match of html.matchAll(inlineScript)) {
    const body = match[1] ?? "";
    if (body.length > 0) hashes.add(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/**
 * No third-party origins anywhere: the policy says so, and the browser
 * enforces it. Scripts only from our origin or with a listed hash; styles
 * keep 'unsafe-inline' for the map's computed positions. The dev server's
 * hot reload needs a WebSocket; production does not get one.
 */
export function contentSecurityPolicy({ scriptHashes, production }: { scriptHashes: string[]; production: boolean }) {
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    `script-src ${["'self'", ...scriptHashes].join(" ")}`,
    `connect-src 'self'${production ? "" : " ws://127.0.0.1:* ws://localhost:*"}`,
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
  ].join("; ");
}

/** Headers for every response: pages, static files, data files and the healthcheck alike. */
export function everyResponseHeaders({ publicUrl }: { publicUrl: string }): Record<string, string> {
  const headers: Record<string, string> = { "X-Content-Type-Options": "nosniff" };
  // Only when people reach us over TLS: HSTS on a plain-HTTP site would lock them out.
  if (new URL(publicUrl).protocol === "https:")
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
