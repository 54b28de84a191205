import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, expect, test } from "vitest";
import { createPageCache } from "~/utils/page-cache.server";

// A real node:http server with the cache in front of a stand-in app that
// counts its renders, as scripts/serve.ts puts it in front of Remix.
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start({ cacheControl = "public, s-maxage=5" } = {}) {
  let version = 1;
  let renders = 0;
  const cache = createPageCache({ version: () => String(version), maxEntries: 2 });
  server = createServer((req, res) => {
    if (cache.serve(req, res)) return;
    cache.capture(req, res, () => {
      renders++;
      res.statusCode = req.url === "/missing" ? 404 : 200;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Cache-Control", req.url === "/private" ? "no-store" : cacheControl);
      res.write(`<p>${req.url} render ${renders} `);
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

test("each URL, query included, is its own page", async () => {
  const app = await start();
  await fetch(`${app.base}/board?page=1`);
  await fetch(`${app.base}/board?page=2`);
  expect(app.renders()).toBe(2);
});

test("gzip is served to clients that accept it", async () => {
  const app = await start();
  await fetch(`${app.base}/map`);
  const response = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
    import("node:http").then(({ get }) =>
      get(`${app.base}/map`, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
      }).on("error", reject),
    );
  });
  expect(response.encoding).toBe("gzip");
  expect(gunzipSync(response.body).toString()).toBe("<p>/map render 1 done</p>");
});

test("private pages, errors and non-GET requests are never cached", async () => {
  const app = await start();
  await fetch(`${app.base}/private`);
  await fetch(`${app.base}/private`);
  await fetch(`${app.base}/missing`);
  await fetch(`${app.base}/missing`);
  await fetch(`${app.base}/board`, { method: "POST" });
  await fetch(`${app.base}/board`, { method: "POST" });
  expect(app.renders()).toBe(6);
  expect(app.size()).toBe(0);
});

test("the cache holds a bounded number of pages, dropping the least recently used", async () => {
  const app = await start();
  for (const path of ["/a", "/b", "/a", "/c"]) await fetch(`${app.base}${path}`);
  expect(app.size()).toBe(2);
  await fetch(`${app.base}/a`);
  await fetch(`${app.base}/b`);
  expect(app.renders()).toBe(4);
});
