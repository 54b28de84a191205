import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address: the socket's, or X-Forwarded-For's behind a trusted proxy (TRUSTED_PROXY). */
    clientIp?: string;
  }
}

const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** True only for requests from this machine itself. Unknown counts as not. */
export function isLoopbackRequest(context: AppLoadContext) {
  return context.clientIp !== undefined && loopback.test(context.clientIp);
}

export function clientIpOf(context: AppLoadContext) {
  return context.clientIp ?? "unknown";
}
