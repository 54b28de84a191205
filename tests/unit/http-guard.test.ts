import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { bodyLimitFor, defaultBodyLimit, isSameOriginPost, readLimitedBody } from "~/utils/http-guard.server";

const ours = { requestHost: "127.0.0.1:3000", publicOrigin: "https://pledge.example.org" };

test("a post from our own page is same-origin, whether the browser says so with Origin or only with Sec-Fetch-Site", () => {
  expect(
    isSameOriginPost({ ...ours, headers: { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" } }),
  ).toBe(true);
  expect(isSameOriginPost({ ...ours, headers: { origin: "https://pledge.example.org" } })).toBe(true);
  // A no-referrer page makes even a same-origin post say Origin: null.
  expect(isSameOriginPost({ ...ours, headers: { origin: "null", "sec-fetch-site": "same-origin" } })).toBe(true);
  // As Remix allows: old browsers and command-line clients send no Origin.
  expect(isSameOriginPost({ ...ours, headers: {} })).toBe(true);
});

test("another site's form is refused, however it is dressed", () => {
  expect(isSameOriginPost({ ...ours, headers: { origin: "https://evil.example" } })).toBe(false);
  expect(
    isSameOriginPost({ ...ours, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } }),
  ).toBe(false);
  expect(isSameOriginPost({ ...ours, headers: { "sec-fetch-site": "cross-site" } })).toBe(false);
  expect(isSameOriginPost({ ...ours, headers: { "sec-fetch-site": "same-site" } })).toBe(false);
  // Null without the browser vouching for it: a sandboxed frame, a data: page.
  expect(isSameOriginPost({ ...ours, headers: { origin: "null" } })).toBe(false);
  expect(isSameOriginPost({ ...ours, headers: { origin: "null", "sec-fetch-site": "cross-site" } })).toBe(false);
  // Our origin in Origin does not excuse a browser saying cross-site.
  expect(
    isSameOriginPost({ ...ours, headers: { origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" } }),
  ).toBe(false);
  expect(isSameOriginPost({ ...ours, headers: { origin: "not a url" } })).toBe(false);
  expect(isSameOriginPost({ ...ours, requestHost: undefined, headers: { origin: "http://127.0.0.1:3000" } })).toBe(
    false,
  );
});

test("page forms get a small body limit, a rule per path", () => {
  expect(defaultBodyLimit).toBe(64 * 1024);
  expect(bodyLimitFor("/constituencies/ashbourne-vale/ask")).toBe(defaultBodyLimit);
  expect(bodyLimitFor("/pledge/sign/abc")).toBe(defaultBodyLimit);
});

test("the staff import page takes a 20 MB file (and its form around it); nowhere else does", () => {
  const twentyMb = 20 * 1024 * 1024;
  expect(bodyLimitFor("/staff/imports")).toBeGreaterThanOrEqual(twentyMb);
  expect(bodyLimitFor("/staff/imports")).toBeLessThan(twentyMb + 1024 * 1024);
  expect(bodyLimitFor("/staff/imports.data")).toBe(bodyLimitFor("/staff/imports"));
  expect(bodyLimitFor("/staff/review")).toBe(defaultBodyLimit);
  expect(bodyLimitFor("/staff")).toBe(defaultBodyLimit);
});

function fakeRequest(url: string) {
  return Object.assign(new PassThrough(), { url, complete: false }) as unknown as IncomingMessage & PassThrough;
}

test("a body is read whole within its limit; past it, reading stops with 'too large'", async () => {
  const small = fakeRequest("/constituencies/a/ask");
  const read = readLimitedBody(small);
  small.end("name=Nadia");
  expect((await read).toString()).toBe("name=Nadia");

  const big = fakeRequest("/constituencies/a/ask?index");
  const tooBig = readLimitedBody(big);
  for (let i = 0; i < 5; i++) big.write(Buffer.alloc(16 * 1024, 97));
  expect(await tooBig).toBe("too large");
});

test("a client that goes away mid-body ends the read instead of leaving it waiting", async () => {
  const req = fakeRequest("/pledge/sign/abc");
  const read = readLimitedBody(req);
  req.write("answers=");
  req.destroy();
  await expect(read).rejects.toThrow(/closed the connection/);
});
