import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { pageCacheKey } from "~/utils/page-query";

// The server-side page cache for a launch-day spike. Public pages (those whose
// response says Cache-Control: public) are kept, by path and the query
// parameters the page reads (page-query.ts), with the data version they were
// rendered at; until the data changes, a repeat request is answered from
// memory before Express or Remix see it. Every public response gets an ETag,
// so browsers and CDNs can revalidate with a 304. The cache is bounded by
// bytes, not entries: the map is ~1 MB a copy, the home page a few KB.

type Entry = {
  version: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  bytes: number;
  // The response headers of a hit, made once: a hit under a spike should
  // cost little more than writing the bytes.
  plainHeaders: Record<string, string>;
  gzipHeaders: Record<string, string>;
};

// Headers worth replaying; the rest (dates, connection) are per response.
const keptHeaders = new Set([
  "content-type",
  "cache-control",
  "content-security-policy",
  "x-content-type-options",
  "strict-transport-security",
  "referrer-policy",
  "link",
  "access-control-allow-origin",
  "content-disposition",
  "vary",
]);

export type PageCache = {
  /** Answers from the cache if it can; returns false to let the app handle the request. */
  serve: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Middleware: buffers public responses, adds their ETag, and keeps them. */
  capture: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  size: () => number;
  /** What the entries hold in memory, near enough: bodies, gzipped bodies, headers and keys. */
  bytes: () => number;
};

export const defaultPageCacheBytes = 64 * 1024 * 1024;

export function createPageCache({
  version,
  maxBytes = defaultPageCacheBytes,
}: {
  version: () => string;
  maxBytes?: number;
}): PageCache {
  const entries = new Map<string, Entry>();
  let total = 0;

  function forget(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    total -= entry.bytes;
  }

  function remember(key: string, entry: Entry) {
    // A Map keeps insertion order: deleting and re-adding makes it least-recently-used.
    forget(key);
    if (entry.bytes > maxBytes) return;
    entries.set(key, entry);
    total += entry.bytes;
    while (total > maxBytes) forget(entries.keys().next().value as string);
  }

  function send(req: IncomingMessage, res: ServerResponse, entry: Entry, hit: boolean) {
    if (req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, {
        etag: entry.etag,
        "cache-control": entry.plainHeaders["cache-control"] ?? "",
        vary: "Accept-Encoding",
      });
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const headers = gzip ? entry.gzipHeaders : entry.plainHeaders;
    // Says where the page came from, for operators and the benchmark.
    res.writeHead(entry.status, hit ? headers : { ...headers, "x-page-cache": "miss" });
    res.end(req.method === "HEAD" ? undefined : gzip ? entry.gzipped : entry.body);
  }

  return {
    size: () => entries.size,
    bytes: () => total,

    serve(req, res) {
      if ((req.method !== "GET" && req.method !== "HEAD") || !req.url) return false;
      // Keys are canonical, so a target that is a key is that page: most hits
      // under a spike need no parsing. Otherwise `/map?utm=x` is answered with
      // the page `/map` rendered: it reads no utm.
      let key: string | undefined = req.url;
      let entry = entries.get(key);
      if (!entry) {
        key = pageCacheKey(req.url)?.key;
        entry = key === undefined ? undefined : entries.get(key);
      }
      if (key === undefined || !entry) return false;
      if (entry.version !== version()) {
        forget(key);
        return false;
      }
      remember(key, entry);
      send(req, res, entry, true);
      return true;
    },

    capture(req, res, next) {
      if (req.method !== "GET" || !req.url) return next();
      const cacheKey = pageCacheKey(req.url);
      // A render of `/board?junk=…` may show the junk (the board's share link
      // does): it is not kept, lest it be replayed to everyone asking for
      // `/board`. Declared parameters in another order are the same page.
      if (!cacheKey || cacheKey.dropped) return next();
      const { key } = cacheKey;
      // The version before rendering: if the data changes mid-render, the
      // entry is already stale and the next request renders afresh.
      const renderedAt = version();
      const chunks: Buffer[] = [];
      let buffering: boolean | undefined;
      const write = res.write.bind(res) as (chunk: unknown) => boolean;
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      const decide = () => {
        buffering ??= res.statusCode === 200 && /\bpublic\b/.test(String(res.getHeader("cache-control") ?? ""));
        return buffering;
      };
      const toBuffer = (chunk: unknown) =>
        typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);

      res.write = ((chunk: unknown) => {
        if (!decide()) return write(chunk);
        chunks.push(toBuffer(chunk));
        return true;
      }) as typeof res.write;
      res.end = ((chunk?: unknown) => {
        if (!decide()) return end(chunk);
        if (chunk !== undefined && typeof chunk !== "function") chunks.push(toBuffer(chunk));
        const body = Buffer.concat(chunks);
        const headers: [string, string][] = [];
        for (const [name, value] of Object.entries(res.getHeaders())) {
          if (keptHeaders.has(name) && value !== undefined) headers.push([name, String(value)]);
        }
        const gzipped = gzipSync(body);
        const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
        const common = { ...Object.fromEntries(headers), "x-page-cache": "hit", etag, vary: "Accept-Encoding" };
        const entry: Entry = {
          version: renderedAt,
          status: 200,
          headers,
          body,
          gzipped,
          etag,
          bytes: key.length + body.length + gzipped.length + headers.reduce((n, [k, v]) => n + k.length + v.length, 0),
          plainHeaders: { ...common, "content-length": String(body.length) },
          gzipHeaders: { ...common, "content-encoding": "gzip", "content-length": String(gzipped.length) },
        };
        remember(key, entry);
        res.write = write as typeof res.write;
        res.end = end as typeof res.end;
        // Headers are not sent yet (nothing was written), so replace this
        // response with the cached form: ETag, 304, gzip all in one place.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        send(req, res, entry, false);
        return res;
      }) as typeof res.end;
      next();
    },
  };
}
