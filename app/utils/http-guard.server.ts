import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { uploadLimitBytes } from "./import-upload";
import { paths } from "./paths";
import { tokenPageHeaders } from "./private-page";

// The rules every request meets before the page cache, Express or Remix see it:
// a request target we can read, a method a page answers, a same-origin POST,
// and a body no bigger than the path's forms need. Each refusal is a small,
// complete HTML page with the status that says why, never a 500 with no body.

/** The methods a page answers; anything else is 405 with this list as Allow. */
export const allowedMethods = ["GET", "HEAD", "POST"] as const;

// Page forms are small (the ask's own words are at most 1,000 characters);
// a path that needs more gets its own rule here. The import page takes a file
// of up to uploadLimitBytes; the rest of its allowance is the multipart
// framing and the form's few small fields. The prefix also covers Remix's
// `/staff/imports.data`, where the page posts with JavaScript on.
const bodyLimits: { pathPrefix: string; bytes: number }[] = [
  { pathPrefix: paths.staffImports, bytes: uploadLimitBytes + 64 * 1024 },
];
export const defaultBodyLimit = 64 * 1024;

/** The largest request body a path accepts, in bytes. */
export function bodyLimitFor(pathname: string) {
  return bodyLimits.find((rule) => pathname.startsWith(rule.pathPrefix))?.bytes ?? defaultBodyLimit;
}

/** The first value of a header that may have been sent more than once or as a list. */
function firstHeader(headers: IncomingHttpHeaders, name: string) {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(",")[0]?.trim() || undefined;
}

/** The host a request was sent to: the forwarded one only from a trusted proxy. */
export function requestHostOf(req: IncomingMessage, fromTrustedProxy: boolean) {
  return (
    (fromTrustedProxy ? firstHeader(req.headers, "x-forwarded-host") : undefined) ?? firstHeader(req.headers, "host")
  );
}

function hostOf(origin: string) {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Whether a POST comes from one of our own pages. A browser says where a form
 * was sent from in Sec-Fetch-Site and Origin; a page whose Referrer-Policy is
 * no-referrer makes even a same-origin post say `Origin: null`, so null is
 * believed only alongside `Sec-Fetch-Site: same-origin`. No Origin at all (old
 * browsers, curl) is allowed, as Remix allows it: a cross-site form in any
 * browser that could be abused sends one. The origins that count as ours are
 * PUBLIC_URL's (the canonical address) and the host the request was sent to
 * (the forwarded one behind a trusted proxy).
 */
export function isSameOriginPost({
  headers,
  requestHost,
  publicOrigin,
}: {
  headers: IncomingHttpHeaders;
  requestHost: string | undefined;
  publicOrigin: string;
}) {
  const site = firstHeader(headers, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = firstHeader(headers, "origin");
  if (origin === undefined) return true;
  if (origin === "null") return site === "same-origin";
  if (origin === publicOrigin) return true;
  const host = hostOf(origin);
  return host !== undefined && requestHost !== undefined && host === requestHost.toLowerCase();
}

const refusals = {
  400: {
    title: "Bad request",
    body: "The server could not read this request.",
  },
  403: {
    title: "This form was sent from another website",
    body: "For your safety nothing was changed. If you meant to use this service, go to its page and send the form from there.",
  },
  405: {
    title: "Method not allowed",
    body: "This address answers GET, HEAD and POST only. Nothing was changed.",
  },
  413: {
    title: "What you sent is too large",
    body: "Nothing was changed. Go back, shorten what you typed (or choose a smaller file) and try again.",
  },
} as const;

export type RefusalStatus = keyof typeof refusals;

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain, complete page for a request refused before the app ran. */
export function sendRefusal(res: ServerResponse, status: RefusalStatus, extraHeaders: Record<string, string> = {}) {
  const { title, body } = refusals[status];
  const html = `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
<p><a href="${paths.home}">Go to the home page</a></p>
</main>
</body>
</html>
`;
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(html)),
    // Refused requests are often to token pages: answered like one.
    ...tokenPageHeaders,
    // Nothing on this page runs or loads anything.
    "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    ...extraHeaders,
  });
  res.end(html);
}

/**
 * Applies the rules that need only the request line and headers. Returns true
 * when it has answered (the request is refused); false lets it through, with
 * an Origin the guard has already judged removed so that Remix's own check
 * (which reads `Origin: null` as another host) does not refuse it again.
 */
export function guardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  { requestHost, publicOrigin }: { requestHost: string | undefined; publicOrigin: string },
) {
  // An absolute-form target (`GET http://host/ HTTP/1.1`) is for proxies, not
  // for an origin server: Remix would build a broken URL from it and fail.
  // So would `//x` (read as a host) or a Host header no URL can hold.
  const url = req.url ?? "";
  if (!url.startsWith("/") || url.startsWith("//") || !URL.canParse(url, `http://${requestHost ?? "localhost"}`)) {
    sendRefusal(res, 400, { Connection: "close" });
    return true;
  }
  const method = req.method ?? "";
  if (!(allowedMethods as readonly string[]).includes(method)) {
    sendRefusal(res, 405, { Allow: allowedMethods.join(", ") });
    return true;
  }
  if (method !== "POST") return false;
  if (!isSameOriginPost({ headers: req.headers, requestHost, publicOrigin })) {
    sendRefusal(res, 403, { Connection: "close" });
    return true;
  }
  delete req.headers.origin;
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > bodyLimitFor(pathOf(url))) {
    sendRefusal(res, 413, { Connection: "close" });
    return true;
  }
  return false;
}

function pathOf(url: string) {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Reads a request body into memory, up to the path's limit. A chunked body
 * (no Content-Length) is counted as it arrives: past the limit the reading
 * stops and the result is "too large", so a flood never fills the memory.
 */
export function readLimitedBody(req: IncomingMessage): Promise<Buffer | "too large"> {
  const limit = bodyLimitFor(pathOf(req.url ?? "/"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve("too large");
        return;
      }
      chunks.push(chunk);
    }
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
    // A client that goes away mid-body sends no end: without this the read would wait for ever.
    req.once("close", () => {
      if (!req.complete) reject(new Error("The client closed the connection before sending the whole body"));
    });
  });
}
