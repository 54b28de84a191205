import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

// The server-side page cache for a launch-day spike. Public pages (those whose
// response says Cache-Control: public) are kept, by URL, with the data
// version they were rendered at; until the data changes, a repeat request is
// answered from memory before Express or Remix see it. Every public response
// gets an ETag, so browsers and CDNs can revalidate with a 304.

type Entry = {
  version: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzipped: Buffer;
  etag: string;
};

// Headers worth replaying; the rest (dates, connection) are per response.
const keptHeaders = new Set([
  "content-type",
  "cache-control",
  "content-security-policy",
  "x-content-type-options",
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
};

export function createPageCache({ version, maxEntries = 2_000 }: { version: () => string; maxEntries?: number }): PageCache {
  const entries = new Map<string, Entry>();

  function remember(key: string, entry: Entry) {
    // A Map keeps insertion order: deleting and re-adding makes it least-recently-used.
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  function send(req: IncomingMessage, res: ServerResponse, entry: Entry, hit: boolean) {
    const headers: Record<string, string> = Object.fromEntries(entry.headers);
    // Says where the page came from, for operators and the benchmark.
    headers["x-page-cache"] = hit ? "hit" : "miss";
    headers.etag = entry.etag;
    headers.vary = "Accept-Encoding";
    if (req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, { etag: entry.etag, "cache-control": headers["cache-control"] ?? "", vary: "Accept-Encoding" });
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? entry.gzipped : entry.body;
    if (gzip) headers["content-encoding"] = "gzip";
    headers["content-length"] = String(body.length);
    res.writeHead(entry.status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  return {
    size: () => entries.size,

    serve(req, res) {
      if ((req.method !== "GET" && req.method !== "HEAD") || !req.url) return false;
      const entry = entries.get(req.url);
      if (!entry) return false;
      if (entry.version !== version()) {
        entries.delete(req.url);
        return false;
      }
      remember(req.url, entry);
      send(req, res, entry, true);
      return true;
    },

    capture(req, res, next) {
      if (req.method !== "GET" || !req.url) return next();
      const key = req.url;
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
        const entry: Entry = {
          version: renderedAt,
          status: 200,
          headers,
          body,
          gzipped: gzipSync(body),
          etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
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
