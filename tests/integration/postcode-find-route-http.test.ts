// GET /find with POSTCODE_LOOKUP=http, configured the way an operator would
// (environment variables read at start), against stub servers on 127.0.0.1.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { insertCampaign, insertConstituency } from "../factories";

let server: Server;
let serverUp = true;
let findLoader: (typeof import("~/routes/find"))["loader"];

beforeAll(async () => {
  server = createServer((request, response) => {
    if (!serverUp) {
      response.writeHead(503, { "Content-Type": "text/plain" });
      response.end("Service Unavailable");
      return;
    }
    response.writeHead(request.url === "/postcodes/ZZ2%201AA" ? 200 : 404, { "Content-Type": "application/json" });
    response.end(
      request.url === "/postcodes/ZZ2%201AA"
        ? JSON.stringify({
            status: 200,
            result: { postcode: "ZZ2 1AA", codes: { parliamentary_constituency_2024: "E14009002" } },
          })
        : JSON.stringify({ status: 404, error: "Postcode not found" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.POSTCODE_LOOKUP = "http";
  process.env.POSTCODES_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.POSTCODES_API_TIMEOUT_MS = "1000";
  // The configuration is read when the modules load: load them afresh.
  vi.resetModules();
  ({ loader: findLoader } = await import("~/routes/find"));
});

afterAll(async () => {
  delete process.env.POSTCODE_LOOKUP;
  delete process.env.POSTCODES_API_URL;
  delete process.env.POSTCODES_API_TIMEOUT_MS;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  serverUp = true;
  await insertCampaign();
  // The stub API places ZZ2 1AA here.
  await insertConstituency({ gssCode: "E14009002", name: "St Cuthbert's and Rowan" });
  await insertConstituency();
});

async function find(query: string) {
  const result = await findLoader({ request: new Request(`http://localhost/find${query}`), params: {}, context: {} });
  if (!("data" in result)) return { status: result.status, location: result.headers.get("Location") };
  return { status: result.init?.status ?? 200, page: result.data };
}

test("a postcode the API places in one of our constituencies redirects there", async () => {
  await expect(find("?postcode=zz2%201aa")).resolves.toEqual({
    status: 302,
    location: "/constituencies/st-cuthberts-and-rowan?postcode=ZZ2%201AA",
  });
});

test("a postcode the API does not know is unknown", async () => {
  await expect(find("?postcode=ZZ2%209XX")).resolves.toMatchObject({
    status: 404,
    page: { errors: { postcode: expect.stringMatching(/^We cannot find the postcode ZZ2 9XX/) } },
  });
});

test("when the API is down the page says so with a 503, keeps the postcode and offers the list", async () => {
  serverUp = false;
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});

  const { status, page } = await find("?postcode=ZZ2%201AA");

  expect(status).toBe(503);
  expect(page).toMatchObject({ unavailable: true, postcode: "ZZ2 1AA", errors: {} });
  expect(page?.choices).toHaveLength(2);
  expect(errors).toHaveBeenCalledWith(expect.stringContaining("postcode lookup unavailable: "));
  errors.mockRestore();
});
