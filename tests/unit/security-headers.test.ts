import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import { contentSecurityPolicy, everyResponseHeaders, inlineScriptHashes } from "~/utils/security-headers.server";

function sha256(text: string) {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

test("each inline script is hashed once; scripts with src, and empty ones, are not", () => {
  const html = `<script>window.a=1</script><script type="module" async="">import "/assets/x.js";</script><script src="/assets/y.js"></script><script></script><script>window.a=1</script>`;
  expect(inlineScriptHashes(html)).toEqual([sha256("window.a=1"), sha256('import "/assets/x.js";')]);
});

test("the policy allows inline scripts only by hash, no plugins, and a WebSocket only for the dev server", () => {
  const production = contentSecurityPolicy({ scriptHashes: ["'sha256-abc'"], production: true });
  expect(production).toContain("script-src 'self' 'sha256-abc'");
  expect(production.split("; ").find((d) => d.startsWith("script-src"))).toBe("script-src 'self' 'sha256-abc'");
  expect(production).toContain("object-src 'none'");
  expect(production).toContain("connect-src 'self';");
  expect(production).not.toContain("ws:");
  expect(contentSecurityPolicy({ scriptHashes: [], production: false })).toContain(
    "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  );
});

test("HSTS only when the public address is https; nosniff always", () => {
  expect(everyResponseHeaders({ publicUrl: "https://pledge.example.org" })).toEqual({
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  });
  expect(everyResponseHeaders({ publicUrl: "http://localhost:3000" })).toEqual({ "X-Content-Type-Options": "nosniff" });
});
