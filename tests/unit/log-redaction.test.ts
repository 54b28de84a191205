import { expect, test } from "vitest";
import { redactLogText } from "~/utils/log-redaction.server";

const token = "Zx9_k-3bQ1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k";

test("token-bearing paths lose their token, however the URL is written", () => {
  expect(redactLogText(`No route matches URL "/pledge/sign/${token}?_data=routes%2Ffoo"`)).toBe(
    'No route matches URL "/pledge/sign/[token]?_data=routes%2Ffoo"',
  );
  expect(redactLogText(`GET http://127.0.0.1:3000/asks/confirm/${token}`)).toBe(
    "GET http://127.0.0.1:3000/asks/confirm/[token]",
  );
  expect(redactLogText(`url=%2Fasks%2Fconfirm%2F${token}`)).toBe("url=%2Fasks%2Fconfirm%2F[token]");
  expect(redactLogText(`/pledge/sign/short-one`)).toBe("/pledge/sign/[token]");
  // A token seen anywhere else still goes.
  expect(redactLogText(`token ${token} expired`)).toBe("token [token] expired");
});

test("email addresses and postcodes go, in text and in query strings", () => {
  expect(redactLogText("sent to rajan.nair+x@example.org")).toBe("sent to [email]");
  expect(redactLogText("/find?email=rajan%40example.org&x=1")).toBe("/find?email=[redacted]&x=1");
  expect(redactLogText("/constituencies/ashbourne-vale?postcode=ZZ4%201AA")).toBe(
    "/constituencies/ashbourne-vale?postcode=[redacted]",
  );
  expect(redactLogText("lookup failed for sw1a1aa and SW1A 1AA and zz4+1aa")).toBe(
    "lookup failed for [postcode] and [postcode] and [postcode]",
  );
});

test("ordinary log lines are left as they are", () => {
  const line = "Pledge tracker listening on http://127.0.0.1:3000 (pid 1234)";
  expect(redactLogText(line)).toBe(line);
  const stack = "Error: boom\n    at loader (file:///work/build/server/index.js:120:11)";
  expect(redactLogText(stack)).toBe(stack);
});

test("redacting twice changes nothing more", () => {
  const once = redactLogText(`Route "routes/foo" does not match URL "/pledge/sign/${token}"`);
  expect(once).toBe('Route "routes/foo" does not match URL "/pledge/sign/[token]"');
  expect(redactLogText(once)).toBe(once);
});
