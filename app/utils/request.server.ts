import type { IncomingHttpHeaders } from "node:http";
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address: the socket's, or X-Forwarded-For's behind a trusted proxy (TRUSTED_PROXY). */
    clientIp?: string;
    /**
     * The request names a client in forwarding headers that nobody trusts
     * (no TRUSTED_PROXY): a proxy on this machine is probably passing on
     * requests from anywhere, so the socket's loopback address says nothing.
     */
    forwardedWithoutTrust?: boolean;
  }
}

const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** True only for requests from this machine itself. Unknown counts as not. */
export function isLoopbackRequest(context: AppLoadContext) {
  if (context.forwardedWithoutTrust) return false;
  return context.clientIp !== undefined && isLoopbackAddress(context.clientIp);
}

/** 127.x.x.x, ::1 or an IPv4-mapped 127.x.x.x. */
export function isLoopbackAddress(address: string) {
  return loopback.test(address);
}

export function clientIpOf(context: AppLoadContext) {
  return context.clientIp ?? "unknown";
}

const forwardingHeaders = ["x-forwarded-for", "forwarded", "x-real-ip"];

/**
 * For a server without TRUSTED_PROXY: says whether a request carries
 * forwarding headers, and the first time one does, warns on stderr (once per
 * process) that a proxy is in front and is not trusted.
 */
export function createForwardingCheck({ warn = console.warn }: { warn?: (line: string) => void } = {}) {
  let warned = false;
  return function carriesForwardingHeaders(headers: IncomingHttpHeaders) {
    const found = forwardingHeaders.find((name) => headers[name] !== undefined);
    if (found === undefined) return false;
    if (!warned) {
      warned = true;
      warn(
        `WARNING: a request came with a ${found} header but TRUSTED_PROXY is not set. If a proxy is in front of this server, set TRUSTED_PROXY to its address: until then every client shares one rate limit, and the local mailbox (/outbox) refuses requests that carry forwarding headers.`,
      );
    }
    return true;
  };
}
