import { createHash } from "node:crypto";
import { expect, inject, test } from "vitest";
import { useBrowser } from "./use-browser";

// The policy allows no inline script but those the page itself carries, by
// hash: a page served from the page cache replays the same bytes with the
// same policy. Pages must still hydrate and run with it.
const baseUrl = inject("baseUrl");
const browser = useBrowser();

function hashesOfInlineScripts(html: string) {
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1] ?? "")
    .filter((body) => body.length > 0)
    .map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
}

function directive(policy: string, name: string) {
  return (
    policy
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? ""
  );
}

test("each page's script-src lists the hashes of exactly its inline scripts, no 'unsafe-inline', no WebSocket in production, no plugins", async () => {
  // Public read pages ship no framework runtime, so no inline script at all: their policy is 'self' alone.
  const hydrated = new Set([
    "/constituencies/brackenby-vale/ask",
    "/pledge/sign/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  ]);
  for (const path of ["/", "/board", "/map", "/constituencies/brackenby-vale", ...hydrated]) {
    // Twice: the second from the page cache for the public pages.
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${baseUrl}${path}`);
      const html = await response.text();
      const policy = response.headers.get("content-security-policy") ?? "";
      const scriptSrc = directive(policy, "script-src");
      expect(scriptSrc, path).not.toContain("unsafe-inline");
      const hashes = hashesOfInlineScripts(html);
      if (hydrated.has(path)) expect(hashes.length, path).toBeGreaterThan(0);
      else expect(hashes, path).toEqual([]);
      expect(scriptSrc.split(" ").slice(1).sort(), path).toEqual(["'self'", ...new Set(hashes)].sort());
      expect(directive(policy, "object-src")).toBe("object-src 'none'");
      expect(policy).not.toContain("ws:");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  }
});

test("static files, assets, data files, the healthcheck and refusals say nosniff too", async () => {
  const html = await (await fetch(`${baseUrl}/constituencies/brackenby-vale/ask`)).text();
  const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
  expect(asset).toBeDefined();
  for (const path of [
    asset!,
    "/favicon.ico",
    "/data/pledges.csv",
    "/data/pledges.json",
    "/data/constituencies.json",
    "/healthcheck",
    "/no-such-page",
  ]) {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
  }
  const refused = await fetch(`${baseUrl}/`, { method: "PUT" });
  expect(refused.headers.get("x-content-type-options")).toBe("nosniff");
});

test("with the policy, pages hydrate and navigate in the browser without a single violation", async () => {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  const dataRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".data")) dataRequests.push(request.url());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective}`),
    );
  });

  // The ask form is hydrated (public read pages are not: see utils/route-handle.ts).
  await page.goto(`${baseUrl}/constituencies/brackenby-vale/ask`);
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  // A client-side navigation fetches the next page's data, not a document: hydration worked.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Map" }).click();
  await page.getByRole("heading", { level: 1, name: /map/i }).waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Who has signed" }).click();
  await page.getByRole("heading", { level: 1, name: /signed/i }).waitFor();
  expect(dataRequests.length).toBeGreaterThanOrEqual(2);
  expect(problems).toEqual([]);
  await page.close();
});
