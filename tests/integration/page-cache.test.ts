import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, expect, test } from "vitest";
import { createPageCache, defaultPageCacheBytes } from "~/utils/page-cache.server";

// A real node:http server with the cache in front of a stand-in app that
// counts its renders, as scripts/serve.ts puts it in front of Remix.
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start({
  cacheControl = "public, s-maxage=5",
  maxBytes = undefined as number | undefined,
  padding = 0,
} = {}) {
  let version = 1;
  let renders = 0;
  const cache = createPageCache({ version: () => String(version), maxBytes });
  server = createServer((req, res) => {
    if (cache.serve(req, res)) return;
    cache.capture(req, res, () => {
      renders++;
      res.statusCode = req.url === "/candidates/missing" ? 404 : 200;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Cache-Control", req.url === "/candidates/private" ? "no-store" : cacheControl);
      res.write(`<p>${req.url} render ${renders} `);
      // Random, so gzip cannot shrink it: each copy costs what it says.
      if (padding) res.write(randomBytes(padding).toString("base64").slice(0, padding));
      res.end("done</p>");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return {
    base,
    renders: () => renders,
    bump: () => version++,
    size: () => cache.size(),
    bytes: () => cache.bytes(),
  };
}

test("a public page is rendered once and then served from memory with an ETag until the data changes", async () => {
  const app = await start();
  const first = await fetch(`${app.base}/board?nation=Wales`);
  expect(await first.text()).toBe("<p>/board?nation=Wales render 1 done</p>");
  const etag = first.headers.get("etag");
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  expect(first.headers.get("cache-control")).toBe("public, s-maxage=5");

  const second = await fetch(`${app.base}/board?nation=Wales`);
  expect(await second.text()).toBe("<p>/board?nation=Wales render 1 done</p>");
  expect(second.headers.get("etag")).toBe(etag);
  expect(app.renders()).toBe(1);

  const notModified = await fetch(`${app.base}/board?nation=Wales`, { headers: { "If-None-Match": etag! } });
  expect(notModified.status).toBe(304);

  app.bump();
  expect(await (await fetch(`${app.base}/board?nation=Wales`)).text()).toBe("<p>/board?nation=Wales render 2 done</p>");
  expect(app.renders()).toBe(2);
});

test("each page, with the query parameters it reads, is its own entry; their order does not matter", async () => {
  const app = await start();
  await fetch(`${app.base}/board?page=1`);
  await fetch(`${app.base}/board?page=2`);
  expect(app.renders()).toBe(2);
  await fetch(`${app.base}/board?status=signed&party=PP53`);
  expect(await (await fetch(`${app.base}/board?party=PP53&status=signed`)).text()).toContain("render 3");
  expect(app.renders()).toBe(3);
});

test("500 junk query strings neither render a page into the cache nor grow it", async () => {
  const app = await start();
  await fetch(`${app.base}/map`);
  const size = app.size();
  const bytes = app.bytes();
  for (let i = 0; i < 500; i++) {
    const junk = await fetch(`${app.base}/map?utm_source=${i}&x${i}=${i}`);
    // The page the map renders, since it reads none of them.
    expect(await junk.text()).toBe("<p>/map render 1 done</p>");
  }
  expect(app.renders()).toBe(1);
  expect(app.size()).toBe(size);
  expect(app.bytes()).toBe(bytes);
});

test("a render asked for with junk parameters is not kept, so it is never replayed to others", async () => {
  const app = await start();
  expect(await (await fetch(`${app.base}/board?party=PP53&ref=evil`)).text()).toContain("ref=evil");
  expect(app.size()).toBe(0);
  expect(await (await fetch(`${app.base}/board?party=PP53`)).text()).toBe("<p>/board?party=PP53 render 2 done</p>");
  expect(app.size()).toBe(1);
});

test("pages not declared in page-query.ts and Remix data requests are not cached", async () => {
  const app = await start();
  for (const path of [
    "/outbox",
    "/asks/thank-you?constituency=x",
    "/board?_data=routes%2Fboard",
    "/board?_data=routes%2Fboard",
  ]) {
    await fetch(`${app.base}${path}`);
  }
  expect(app.size()).toBe(0);
  await fetch(`${app.base}/board.data?party=PP53&_routes=routes%2Fboard`);
  await fetch(`${app.base}/board.data?party=PP53&_routes=routes%2Fboard`);
  expect(app.renders()).toBe(5);
});

test("gzip is served to clients that accept it", async () => {
  const app = await start();
  await fetch(`${app.base}/map`);
  const { get } = await import("node:http");
  const response = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
    get(`${app.base}/map`, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
  expect(response.encoding).toBe("gzip");
  expect(gunzipSync(response.body).toString()).toBe("<p>/map render 1 done</p>");
});

test("private pages, errors and non-GET requests are never cached", async () => {
  const app = await start();
  await fetch(`${app.base}/candidates/private`);
  await fetch(`${app.base}/candidates/private`);
  await fetch(`${app.base}/candidates/missing`);
  await fetch(`${app.base}/candidates/missing`);
  await fetch(`${app.base}/board`, { method: "POST" });
  await fetch(`${app.base}/board`, { method: "POST" });
  expect(app.renders()).toBe(6);
  expect(app.size()).toBe(0);
});

test("the cache is bounded by bytes, dropping the least recently used pages", async () => {
  // Each page ~100 KB twice over (plain and gzipped): a 450 KB cache holds two.
  const app = await start({ maxBytes: 450_000, padding: 100_000 });
  for (const path of ["/candidates/a", "/candidates/b", "/candidates/a", "/candidates/c"])
    await fetch(`${app.base}${path}`);
  expect(app.size()).toBe(2);
  expect(app.bytes()).toBeLessThanOrEqual(450_000);
  await fetch(`${app.base}/candidates/a`);
  await fetch(`${app.base}/candidates/b`);
  expect(app.renders()).toBe(4);
  for (let i = 0; i < 20; i++) await fetch(`${app.base}/candidates/${i}`);
  expect(app.bytes()).toBeLessThanOrEqual(450_000);
  expect(app.size()).toBe(2);
});

test("a page bigger than the whole cache is served but not kept; the default bound is 64 MB", async () => {
  const app = await start({ maxBytes: 50_000, padding: 100_000 });
  await fetch(`${app.base}/map`);
  await fetch(`${app.base}/map`);
  expect(app.renders()).toBe(2);
  expect(app.bytes()).toBe(0);
  expect(defaultPageCacheBytes).toBe(64 * 1024 * 1024);
});
