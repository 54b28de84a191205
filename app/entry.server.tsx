import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "~/utils/env.server";
import { redactLogText } from "~/utils/log-redaction.server";
import { contentSecurityPolicy, inlineScriptHashes } from "~/utils/security-headers.server";

const ABORT_DELAY = 5_000;

/**
 * Renders the whole document before sending it (onAllReady), for bots and
 * people alike: pages are small, and a complete response is what caches and
 * no-JavaScript browsers need. The document is buffered so that its policy
 * can list the hash of each inline script it holds.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          const chunks: Buffer[] = [];
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("error", reject);
          body.on("end", () => {
            const html = Buffer.concat(chunks);
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            setSecurityHeaders(responseHeaders, inlineScriptHashes(html.toString("utf8")));
            resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Remix's error logging, with the URL's secrets taken out: a crafted
 * `?_data=` request on a signing link would otherwise write the token to
 * stderr. An aborted request (the client went away) is not an error.
 */
export function handleError(error: unknown, { request }: Parameters<HandleErrorFunction>[1]) {
  if (request.signal.aborted) return;
  // As Remix's own logging: an error response carries the error that made it.
  const inner = isRouteErrorResponse(error) ? ((error as { error?: unknown }).error ?? error) : error;
  const text = inner instanceof Error ? (inner.stack ?? inner.message) : JSON.stringify(inner);
  console.error(redactLogText(text));
}

function setSecurityHeaders(headers: Headers, scriptHashes: string[]) {
  headers.set(
    "Content-Security-Policy",
    contentSecurityPolicy({ scriptHashes, production: env.NODE_ENV === "production" }),
  );
  headers.set("X-Content-Type-Options", "nosniff");
  if (!headers.has("Referrer-Policy")) headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-cache");
}
