import { expect, test } from "vitest";
import { createForwardingCheck, isLoopbackRequest } from "~/utils/request.server";

test("the mailbox's loopback check believes the socket only when no untrusted proxy forwarded the request", () => {
  expect(isLoopbackRequest({ clientIp: "127.0.0.1" })).toBe(true);
  expect(isLoopbackRequest({ clientIp: "::ffff:127.0.0.1" })).toBe(true);
  expect(isLoopbackRequest({ clientIp: "203.0.113.7" })).toBe(false);
  expect(isLoopbackRequest({})).toBe(false);
  // A proxy on this machine makes every client look like 127.0.0.1.
  expect(isLoopbackRequest({ clientIp: "127.0.0.1", forwardedWithoutTrust: true })).toBe(false);
});

test("forwarding headers without TRUSTED_PROXY are noticed on every request and warned about once per process", () => {
  const warnings: string[] = [];
  const check = createForwardingCheck({ warn: (line) => warnings.push(line) });
  expect(check({ host: "example.org" })).toBe(false);
  expect(warnings).toEqual([]);
  expect(check({ "x-forwarded-for": "203.0.113.7" })).toBe(true);
  expect(check({ forwarded: "for=203.0.113.8" })).toBe(true);
  expect(check({ "x-real-ip": "203.0.113.9" })).toBe(true);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^WARNING: a request came with a x-forwarded-for header but TRUSTED_PROXY is not set/);
});
