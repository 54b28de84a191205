// The production server: `npm start` builds, then runs this. It migrates and
// seeds the database, then serves the Remix build with Express.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { readDataVersion } from "~/models/data-version.server";
import { env, mailMode } from "~/utils/env.server";
import { guardRequest, requestHostOf } from "~/utils/http-guard.server";
import { redactConsole } from "~/utils/log-redaction.server";
import { defaultMailTransport } from "~/mail/transport.server";
import { startMailWorker } from "~/mail/worker.server";
import { createPageCache } from "~/utils/page-cache.server";
import { createRemixHandler, isFromTrustedProxy } from "~/utils/remix-handler.server";
import { createForwardingCheck } from "~/utils/request.server";
import { everyResponseHeaders } from "~/utils/security-headers.server";
import { scheduledJobs } from "~/mail/scheduled-jobs.server";
import { setUpDatabase } from "./set-up-database";

// Before anything can log: no token, email address or postcode in a log line.
redactConsole();
await setUpDatabase();

const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
// Behind a trusted proxy, req.ip is the client from X-Forwarded-For; otherwise the socket's address.
app.set("trust proxy", env.TRUSTED_PROXY ?? false);
const publicOrigin = new URL(env.PUBLIC_URL).origin;
// nosniff (and HSTS over https) on everything, static files and refusals too;
// the page cache keeps them with each page it replays.
const securityHeaders = everyResponseHeaders({ publicUrl: env.PUBLIC_URL });
app.use((_req, res, next) => {
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
  next();
});
// Before the static files too: a PUT to /assets is as wrong as a PUT to a page.
app.use((req, res, next) => {
  if (!guardRequest(req, res, { requestHost: requestHostOf(req, isFromTrustedProxy(req)), publicOrigin })) next();
});
// Vite fingerprints everything under /assets, so browsers may keep it for a year.
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Public pages are cached by URL until the data changes (see page-cache.server.ts).
const pageCache = createPageCache({ version: readDataVersion });
app.use(pageCache.capture);
// Without TRUSTED_PROXY, forwarding headers mean a proxy nobody told us about.
const carriesForwardingHeaders = createForwardingCheck();
app.all(
  "*",
  createRemixHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (req) => ({
      clientIp: req.ip,
      forwardedWithoutTrust: env.TRUSTED_PROXY ? false : carriesForwardingHeaders(req.headers),
    }),
  }),
);

let mailWorker: { stop(): Promise<void> } | undefined;

// A cached page is answered before Express sees the request: that is what
// holds a launch-day spike.
const server = createServer((req, res) => {
  if (!pageCache.serve(req, res)) app(req, res);
});
server.listen(env.PORT, env.HOST, () => {
  console.log(`Pledge tracker listening on http://${env.HOST}:${env.PORT} (pid ${process.pid})`);
  if (mailMode === "local") {
    console.warn(
      `WARNING: SMTP_URL is not set, so mail is NOT being sent. It is delivered to the local mailbox at ${new URL("/outbox", env.PUBLIC_URL).href}, readable only from this machine.`,
    );
  }
  // Outside any request: sending never holds up a page.
  if (env.MAIL_WORKER === "on") {
    mailWorker = startMailWorker({ jobs: scheduledJobs, intervalMs: env.MAIL_WORKER_INTERVAL_MS });
  } else console.log("MAIL_WORKER=off: run `npm run worker` to send mail.");
});

function shutdown() {
  // Let the worker finish the sends in flight before the process ends.
  const workerStopped = (mailWorker?.stop() ?? Promise.resolve()).then(() => defaultMailTransport().close());
  server.close(() => void workerStopped.finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
