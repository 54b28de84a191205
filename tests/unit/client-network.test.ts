import { expect, test } from "vitest";
import { networkOf } from "~/utils/client-network.server";

test("an IPv4 address is in its /24", () => {
  expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
  expect(networkOf("203.0.113.1")).toBe(networkOf("203.0.113.254"));
  expect(networkOf("203.0.114.1")).not.toBe(networkOf("203.0.113.1"));
});

test("an IPv4-mapped IPv6 address (as Node reports IPv4 clients on a dual-stack socket) is its IPv4 /24", () => {
  expect(networkOf("::ffff:203.0.113.77")).toBe("203.0.113.0/24");
  expect(networkOf("::FFFF:203.0.113.77")).toBe("203.0.113.0/24");
});

test("an IPv6 address is in its /48, however it is written", () => {
  expect(networkOf("2001:db8:1:2::5")).toBe("2001:db8:1::/48");
  expect(networkOf("2001:0db8:0001:ffff:0:0:0:1")).toBe("2001:db8:1::/48");
  expect(networkOf("2001:db8::1")).toBe("2001:db8:0::/48");
  expect(networkOf("::1")).toBe("0:0:0::/48");
  expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0::/48");
  expect(networkOf("2001:db8:2::1")).not.toBe(networkOf("2001:db8:1::1"));
});

test("anything that is not an address has no network", () => {
  expect(networkOf("")).toBeNull();
  expect(networkOf("unknown")).toBeNull();
  expect(networkOf("999.1.1.1")).toBeNull();
});
