import { expect, test } from "vitest";
import { documentScripts, staticPage } from "~/utils/route-handle";

test("a page hydrates unless a route on it says it is static", () => {
  expect(documentScripts([undefined, { other: 1 }, null])).toEqual({ hydrate: true, scripts: [] });
  expect(documentScripts([undefined, staticPage()])).toEqual({ hydrate: false, scripts: [] });
});

test("a static page loads each enhancement script it names, once", () => {
  expect(documentScripts([staticPage("/a.js"), staticPage("/a.js", "/b.js")])).toEqual({
    hydrate: false,
    scripts: ["/a.js", "/b.js"],
  });
});
