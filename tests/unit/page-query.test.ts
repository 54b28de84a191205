import { expect, test } from "vitest";
import { sorts } from "~/utils/board";
import {
  POSTCODE_ECHO_MAX,
  pageCacheKey,
  pageQueryParams,
  parseBoardQuery,
  parseCandidatePageQuery,
  parseMapQuery,
  parseMapTableQuery,
  parseMapTooltipsQuery,
  parseThankYouQuery,
  readPostcodeParam,
} from "~/utils/page-query";

// The page cache keys on the declared parameters alone, so a parser that read
// one more would be served another query's page. These check the board's and
// the map's parsers read exactly what page-query.ts declares.
const sample: Record<string, string> = {
  nation: "Wales",
  region: "Wales",
  party: "PP53",
  status: "declined",
  q: "ruth",
  sort: sorts[sorts.length - 1]!,
  page: "2",
};

function readsExactlyTheDeclared(
  path: string,
  parse: (params: URLSearchParams) => unknown,
  overrides: Record<string, string> = {},
) {
  const declared = pageQueryParams(path)!;
  const values = { ...sample, ...overrides };
  const full = new URLSearchParams(declared.map((name) => [name, values[name]!]));
  // Each declared parameter changes what the page shows.
  for (const name of declared) {
    const without = new URLSearchParams(full);
    without.delete(name);
    expect(parse(without), `${path} reads ${name}`).not.toEqual(parse(full));
  }
  // Nothing else does.
  const extra = new URLSearchParams(full);
  for (const name of ["utm_source", "ref", "x", "_data", "index", "sortBy", "constituency", "postcode", "nation2"])
    extra.append(name, "junk");
  expect(parse(extra)).toEqual(parse(full));
}

test("the board's parser reads exactly the parameters declared for /board", () => {
  readsExactlyTheDeclared("/board", parseBoardQuery);
});

test("the map's parser reads exactly the parameters declared for /map", () => {
  // The map zooms and rings by slug, and has a find box.
  readsExactlyTheDeclared("/map", parseMapQuery, { region: "wales", seat: "bryngor", find: "SW1A 1AA" });
});

test("the map as a table reads the map's filters and zoom, not its seat or find box", () => {
  readsExactlyTheDeclared("/map/table", parseMapTableQuery, { region: "wales" });
  expect(pageQueryParams("/map/table")).toEqual(["party", "region", "status"]);
  expect(pageCacheKey("/map/table?seat=bryngor&region=wales")).toEqual({
    key: "/map/table?region=wales",
    dropped: true,
  });
});

test("the map's tooltips' data reads the party alone", () => {
  readsExactlyTheDeclared("/map/tooltips.json", parseMapTooltipsQuery);
  expect(pageQueryParams("/map/tooltips.json")).toEqual(["party"]);
});

test("the map's zoom and seat are slugs or nothing", () => {
  const parse = (query: string) => parseMapQuery(new URLSearchParams(query));
  expect(parse("region=north-east&seat=bryngor")).toMatchObject({ region: "north-east", seat: "bryngor" });
  expect(parse("region=North%20East&seat=%3Cscript%3E")).toMatchObject({ region: undefined, seat: undefined });
  expect(parse("find=%20SW1A%201AA%20").find).toBe(" SW1A 1AA ");
  expect(parse("").find).toBeUndefined();
});

test("the cache key keeps only declared parameters, sorted, and says when it dropped some", () => {
  expect(pageCacheKey("/map")).toEqual({ key: "/map", dropped: false });
  expect(pageCacheKey("/map?utm_source=x&status=declined&party=PP53")).toEqual({
    key: "/map?party=PP53&status=declined",
    dropped: true,
  });
  expect(pageCacheKey("/board?status=declined&party=PP53")).toEqual({
    key: "/board?party=PP53&status=declined",
    dropped: false,
  });
  expect(pageCacheKey("/board?party=A&party=B")).toEqual({ key: "/board?party=A&party=B", dropped: false });
  expect(pageCacheKey("/constituencies/ashbourne-vale?postcode=ZZ4+1AA")).toEqual({
    key: "/constituencies/ashbourne-vale?postcode=ZZ4+1AA",
    dropped: false,
  });
  expect(pageCacheKey("/board.data?party=PP53&_routes=routes%2Fboard")).toEqual({
    key: "/board.data?_routes=routes%2Fboard&party=PP53",
    dropped: false,
  });
  expect(pageCacheKey("/_root.data")).toEqual({ key: "/_root.data", dropped: false });
});

test("undeclared pages, Remix data requests and unreadable targets have no key", () => {
  expect(pageCacheKey("/outbox")).toBeUndefined();
  expect(pageCacheKey("/pledge/sign/abc")).toBeUndefined();
  expect(pageCacheKey("/board?_data=routes%2Fboard")).toBeUndefined();
  expect(pageCacheKey("http://127.0.0.1:3000/map")).toBeUndefined();
  expect(pageCacheKey("/constituencies/a/ask")).toBeUndefined();
});

test("a repeated parameter means its last value, on the board and the map alike", () => {
  expect(parseBoardQuery(new URLSearchParams("party=A&party=B")).party).toBe("B");
  expect(parseMapQuery(new URLSearchParams("party=A&party=B")).party).toBe("B");
});

test("a postcode parameter is the postcode when it is one, and otherwise shown back trimmed and short", () => {
  expect(readPostcodeParam(new URLSearchParams("postcode=ab101ab"))).toEqual({
    postcode: "AB10 1AB",
    asTyped: "ab101ab",
  });
  expect(readPostcodeParam(new URLSearchParams(`postcode=${"x".repeat(100)}`))).toEqual({
    postcode: null,
    asTyped: "x".repeat(POSTCODE_ECHO_MAX),
  });
  expect(readPostcodeParam(new URLSearchParams())).toEqual({ postcode: null, asTyped: "" });
});

test("the candidate page and thank-you page read their parameters here too", () => {
  expect(parseCandidatePageQuery(new URLSearchParams("link=requested"))).toEqual({
    linkRequested: true,
    recorded: false,
  });
  expect(parseCandidatePageQuery(new URLSearchParams("recorded=1"))).toEqual({ linkRequested: false, recorded: true });
  const thanks = parseThankYouQuery(new URLSearchParams("constituency=bath&noEmail=3&noEmail=5"));
  expect(thanks.constituencySlug).toBe("bath");
  expect([...thanks.noEmailIds]).toEqual(["3", "5"]);
});
