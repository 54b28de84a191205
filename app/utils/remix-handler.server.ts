import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { readLimitedBody, requestHostOf, sendRefusal } from "~/utils/http-guard.server";

// Express to Remix, as @remix-run/express does it, except that a request body
// is read first, within its path's limit (http-guard.server.ts): past the
// limit the answer is 413 before any action runs, and a body that fits is
// handed to Remix whole.

function remixHeaders(req: ExpressRequest) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

type TrustFunction = (address: string, hop: number) => boolean;

/** Whether the request came through a proxy TRUSTED_PROXY names (Express's "trust proxy"). */
export function isFromTrustedProxy(req: ExpressRequest) {
  return (req.app.get("trust proxy fn") as TrustFunction)(req.socket.remoteAddress ?? "", 0);
}

export function createRemixHandler({
  build,
  mode,
  getLoadContext,
}: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: ExpressRequest) => AppLoadContext;
}) {
  const handle = createRequestHandler(build, mode);
  async function serve(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    try {
      let body: Buffer | undefined;
      if (req.method !== "GET" && req.method !== "HEAD") {
        const read = await readLimitedBody(req);
        if (read === "too large") {
          sendRefusal(res, 413, { Connection: "close" });
          return;
        }
        body = read;
      }
      const controller = new AbortController();
      // Stop loaders and actions once no response can be written.
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const request = new Request(
        new URL(req.originalUrl, `${req.protocol}://${requestHostOf(req, isFromTrustedProxy(req)) ?? "localhost"}`),
        {
          method: req.method,
          headers: remixHeaders(req),
          body: body ? Uint8Array.from(body) : undefined,
          signal: controller.signal,
        },
      );
      const response = await handle(request, getLoadContext(req));
      res.statusMessage = response.statusText;
      res.status(response.status);
      // The page's headers replace the ones every response starts with (nosniff…).
      for (const [name, value] of response.headers.entries()) if (name !== "set-cookie") res.setHeader(name, value);
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  }
  // Express 4 does nothing with the promise a handler returns: serve passes
  // every error to `next` itself.
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void serve(req, res, next);
}
