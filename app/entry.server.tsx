import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext, type HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { redactLogText } from "~/utils/log-redaction.server";

const ABORT_DELAY = 5_000;

/**
 * Renders the whole document before sending it (onAllReady), for bots and
 * people alike: pages are small, and a complete response is what caches and
 * no-JavaScript browsers need.
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
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          setSecurityHeaders(responseHeaders);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
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

// No third-party origins anywhere: the policy says so, and the browser enforces it.
function setSecurityHeaders(headers: Headers) {
  headers.set(
    "Content-Security-Policy",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  );
  headers.set("X-Content-Type-Options", "nosniff");
  if (!headers.has("Referrer-Policy")) headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-cache");
}
