// The postcodes.io-compatible lookup (POSTCODE_LOOKUP=http), against a stub
// server on 127.0.0.1 that answers the way postcodes.io does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { createPostcodeLookup } from "~/models/postcode-lookup.server";
import { insertConstituency } from "../factories";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

function livePostcode(postcode: string, code: string | null) {
  return {
    status: 200,
    result: {
      postcode,
      country: "England",
      parliamentary_constituency: "Somewhere",
      parliamentary_constituency_2024: "Somewhere",
      codes: { admin_district: "E09000033", parliamentary_constituency: code, parliamentary_constituency_2024: code },
    },
  };
}

// What the stub knows, by the path it is asked for (postcodes.io encodes the space).
const routes: Record<string, Handler> = {
  "/postcodes/ZZ1%201AA": (_, res) => json(res, 200, livePostcode("ZZ1 1AA", "E14009001")),
  "/postcodes/SE1P%205ZZ": (_, res) => json(res, 200, livePostcode("SE1P 5ZZ", "E14001085")),
  "/postcodes/JE2%204WD": (_, res) => json(res, 200, livePostcode("JE2 4WD", "L99999999")),
  "/postcodes/GY1%201AA": (_, res) => json(res, 200, livePostcode("GY1 1AA", null)),
  "/postcodes/SE1%209ZZ": (_, res) => json(res, 404, { status: 404, error: "Postcode not found" }),
  "/terminated_postcodes/SE1%209ZZ": (_, res) =>
    json(res, 200, {
      status: 200,
      result: { postcode: "SE1 9ZZ", year_terminated: 1998, month_terminated: 12, longitude: -0.1, latitude: 51.5 },
    }),
  "/postcodes/ZZ5%205ZZ": (_, res) => json(res, 500, { status: 500, error: "Internal server error" }),
  "/postcodes/ZZ6%206ZZ": (_, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<html>Maintenance</html>");
  },
  "/postcodes/ZZ7%207ZZ": (_, res) => json(res, 429, { status: 429, error: "Too many requests" }),
  // Never answers: only the lookup's timeout ends it.
  "/postcodes/ZZ9%209ZZ": () => {},
};

let server: Server;
let apiUrl: string;
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const handler = routes[request.url ?? ""];
    if (handler) return handler(request, response);
    json(response, 404, { status: 404, error: "Postcode not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  requests = [];
  // The stub API places ZZ1 1AA here.
  await insertConstituency({ gssCode: "E14009001", name: "Mardale and Thorne" });
});

function httpLookup({ timeoutMs = 2000, url = apiUrl } = {}) {
  return createPostcodeLookup({ mode: "http", apiUrl: url, timeoutMs });
}

test("a live postcode in one of our constituencies is found, whatever the spacing and case", async () => {
  await expect(httpLookup()("zz11aa")).resolves.toEqual({
    status: "found",
    postcode: "ZZ1 1AA",
    constituency: { gssCode: "E14009001", name: "Mardale and Thorne", slug: "mardale-and-thorne" },
  });
  expect(requests).toEqual(["/postcodes/ZZ1%201AA"]);
});

test("a base URL with a trailing slash works the same", async () => {
  await expect(httpLookup({ url: `${apiUrl}/` })("ZZ1 1AA")).resolves.toMatchObject({ status: "found" });
  expect(requests).toEqual(["/postcodes/ZZ1%201AA"]);
});

test("a 404 then a terminated-postcode record means terminated, with the month it ended", async () => {
  await expect(httpLookup()("se1 9zz")).resolves.toEqual({
    status: "terminated",
    postcode: "SE1 9ZZ",
    terminatedOn: "1998-12",
  });
  expect(requests).toEqual(["/postcodes/SE1%209ZZ", "/terminated_postcodes/SE1%209ZZ"]);
});

test("a 404 from both means unknown", async () => {
  await expect(httpLookup()("ZZ1 3XX")).resolves.toEqual({ status: "unknown", postcode: "ZZ1 3XX" });
  expect(requests).toEqual(["/postcodes/ZZ1%203XX", "/terminated_postcodes/ZZ1%203XX"]);
});

test("no constituency (a pseudo-code or none) differs from one we have not imported", async () => {
  await expect(httpLookup()("JE2 4WD")).resolves.toEqual({
    status: "no-constituency",
    postcode: "JE2 4WD",
    reason: "outside",
    gssCode: "L99999999",
  });
  await expect(httpLookup()("GY1 1AA")).resolves.toMatchObject({
    status: "no-constituency",
    reason: "outside",
    gssCode: null,
  });
  await expect(httpLookup()("SE1P 5ZZ")).resolves.toEqual({
    status: "no-constituency",
    postcode: "SE1P 5ZZ",
    reason: "not-covered",
    gssCode: "E14001085",
  });
});

test("something that is not a postcode is never sent", async () => {
  await expect(httpLookup()("../admin")).resolves.toEqual({ status: "invalid" });
  await expect(httpLookup()("")).resolves.toEqual({ status: "invalid" });
  expect(requests).toEqual([]);
});

test("a server error, a page that is not JSON and a rate limit all mean unavailable", async () => {
  await expect(httpLookup()("ZZ5 5ZZ")).resolves.toEqual({
    status: "unavailable",
    message: `${apiUrl}/postcodes answered HTTP 500`,
  });
  await expect(httpLookup()("ZZ6 6ZZ")).resolves.toMatchObject({
    status: "unavailable",
    message: expect.stringContaining("not JSON"),
  });
  await expect(httpLookup()("ZZ7 7ZZ")).resolves.toMatchObject({
    status: "unavailable",
    message: expect.stringContaining("HTTP 429"),
  });
});

test("a server that never answers is given up on after the timeout", async () => {
  const started = performance.now();

  const result = await httpLookup({ timeoutMs: 300 })("ZZ9 9ZZ");

  const elapsed = performance.now() - started;
  expect(result).toEqual({ status: "unavailable", message: `${apiUrl} did not answer within 300 ms` });
  expect(elapsed).toBeGreaterThanOrEqual(290);
  expect(elapsed).toBeLessThan(2000);
});

test("a server that is not running at all means unavailable, at once", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));

  const result = await httpLookup({ url: `http://127.0.0.1:${port}`, timeoutMs: 5000 })("ZZ1 1AA");

  expect(result).toEqual({
    status: "unavailable",
    message: expect.stringMatching(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`)),
  });
});
