// GET /map through its real loader, on the sample election with a few pledges
// recorded: colours, filters in the URL, and constituencies the layout lacks.
import { beforeEach, expect, test } from "vitest";
import { findCampaign } from "~/models/campaign.server";
import { recordPledgeByCampaign } from "~/models/pledge.server";
import { headers, loader } from "~/routes/map";
import { db } from "~/utils/db.server";
import { unpackCandidates } from "~/utils/map";
import { loadFixtureElection } from "../load-fixture-election";

const electionId = "parl.2024-07-04";

function record(personId: string, answer: (position: number) => "signed" | "declined" | undefined) {
  const points = findCampaign()!.points;
  const answers = Object.fromEntries(
    points.flatMap((p) => {
      const a = answer(p.position);
      return a ? [[p.id, a]] : [];
    }),
  );
  const result = recordPledgeByCampaign({
    electionId,
    personId,
    answers,
    statement: null,
    evidenceUrl: "https://example.org/hustings-video",
    note: "Said so at the hustings",
    recordedBy: "Test Staff",
    now: new Date("2024-06-20T12:00:00.000Z"),
  });
  expect(result.status).toBe("recorded");
}

beforeEach(() => {
  loadFixtureElection();
  // The sample comes with pledges of its own; start these tests from none, so
  // every colour below is one of the four recorded here. (Only the current
  // answers go: the append-only history keeps its rows, as it must.)
  db.$client.exec("delete from pledge_point_answers; delete from pledges");
  record("900346", () => "signed"); // Ruth Adeyemi, Labour, Brackenby Vale: every point
  record("900604", (n) => (n <= 2 ? "signed" : "declined")); // Felix Garrowby, Lib Dem, Brackenby Vale: two
  record("900018", () => "declined"); // Tom Featherstone, Lib Dem, Wendlebury
  record("900760", (n) => (n === 1 ? "signed" : undefined)); // Siôn ap Dafydd, Plaid Cymru, Bryngôr: one
});

async function map(query = "") {
  return loader({ request: new Request(`http://localhost/map${query}`), params: {}, context: {} });
}

type MapPage = Awaited<ReturnType<typeof map>>;

/** The tooltip's candidates of one hex, as the page unpacks them. */
function candidatesOf(data: MapPage, name: string) {
  const hex = data.hexes.find((h) => h.name === name)!;
  return unpackCandidates(hex.candidates, data.parties.map((p) => p.name));
}

function statuses(data: MapPage) {
  return Object.fromEntries(data.hexes.map((h) => [h.name, `${h.status}${h.matches ? "" : " (dim)"}`]));
}

test("every constituency is a hex of the sample layout, coloured by its best candidate", async () => {
  const data = await map();
  expect(data.layout).toMatchObject({ id: "constituencies", kind: "odd-r", viewBox: expect.stringMatching(/^0 0 /) });
  expect(data.hexes).toHaveLength(16);
  expect(data.offMap).toEqual([]);
  expect(data.total).toBe(16);
  expect(data.matching).toBe(16);
  expect(statuses(data)).toMatchObject({
    "Brackenby Vale": "signed-all",
    Bryngôr: "signed-some",
    Wendlebury: "declined",
    "Mardale and Thorne": "no-answer",
  });
  expect(data.counts).toEqual({ "signed-all": 1, "signed-some": 1, declined: 1, "no-answer": 13, none: 0, dim: 0 });

  const brackenby = data.hexes.find((h) => h.name === "Brackenby Vale")!;
  expect(brackenby).toMatchObject({ slug: "brackenby-vale", place: "East Midlands, England", signed: 2, standing: 5 });
  // Best answers first, then by name.
  expect(candidatesOf(data, "Brackenby Vale")).toEqual([
    { name: "Ruth Adeyemi", partyName: "Labour Party", status: "signed-all" },
    { name: "Felix Garrowby", partyName: "Liberal Democrats", status: "signed-some" },
    { name: "Edward James Fairbrother", partyName: "Conservative and Unionist Party", status: "no-answer" },
    { name: "Sandra Hebblethwaite", partyName: "Reform UK", status: "no-answer" },
    { name: "Zoë Pembridge", partyName: "Green Party", status: "no-answer" },
  ]);
  expect(data.hexes.find((h) => h.name === "Bryngôr")?.place).toBe("Wales");

  // Tab order reads the map: top row first, left to right.
  const order = data.hexes.map((h) => [h.y, h.x]);
  expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  expect(data.hexes[0]!.name).toMatch(/^(Glenmorven and Strathkin|Lochdrum, Ardvane and Kilbrae)$/);

  expect(data.parties[0]).toEqual({ id: "PP52", name: "Conservative and Unionist Party", candidates: 12 });
  expect(data.parties.map((p) => p.id)).toContain("PP90");
  expect(data.query).toEqual({ party: undefined, status: undefined });
});

test("a status filter greys out the rest, keeping every hex in place", async () => {
  const all = await map();
  const data = await map("?status=signed-all");
  expect(data.hexes).toHaveLength(16);
  expect(data.hexes.map((h) => [h.code, h.x, h.y])).toEqual(all.hexes.map((h) => [h.code, h.x, h.y]));
  expect(data.matching).toBe(1);
  expect(data.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Brackenby Vale"]);
  expect(data.counts).toEqual({ "signed-all": 1, "signed-some": 0, declined: 0, "no-answer": 0, none: 0, dim: 15 });
  expect(data.query).toEqual({ party: undefined, status: "signed-all" });
});

test("a party filter colours each constituency by that party's candidate alone", async () => {
  const data = await map("?party=PP90");
  expect(data.partyName).toBe("Liberal Democrats");
  expect(data.matching).toBe(7);
  expect(statuses(data)).toMatchObject({
    "Brackenby Vale": "signed-some",
    Wendlebury: "declined",
    "Porthkennow Bay": "no-answer",
    Bryngôr: "none (dim)",
  });
  const brackenby = data.hexes.find((h) => h.name === "Brackenby Vale")!;
  expect(candidatesOf(data, "Brackenby Vale")).toEqual([{ name: "Felix Garrowby", partyName: "Liberal Democrats", status: "signed-some" }]);
  expect(brackenby).toMatchObject({ signed: 1, standing: 1 });
  expect(data.counts).toEqual({ "signed-all": 0, "signed-some": 1, declined: 1, "no-answer": 5, none: 0, dim: 9 });

  const both = await map("?party=PP90&status=declined");
  expect(both.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Wendlebury"]);
  expect(both.matching).toBe(1);
});

test("filters it does not know are ignored, not an error", async () => {
  const data = await map("?party=PP99999&status=signed-everything");
  expect(data.query).toEqual({ party: undefined, status: undefined });
  expect(data.matching).toBe(16);
  expect(data.partyName).toBeUndefined();
});

test("a constituency the layout has no hex for is listed apart, and still in the data", async () => {
  db.$client.prepare("delete from hexes where constituency_code = ?").run("W07009002");
  const data = await map();
  expect(data.hexes).toHaveLength(15);
  expect(data.offMap).toEqual([expect.objectContaining({ code: "W07009002", name: "Bryngôr", status: "signed-some" })]);
  expect(data.total).toBe(16);
});

test("with no layout imported, there is no map but every constituency is still there", async () => {
  db.$client.prepare("delete from hex_layouts").run();
  const data = await map();
  expect(data.layout).toBeNull();
  expect(data.hexes).toEqual([]);
  expect(data.offMap).toHaveLength(16);
});

test("the page may be cached briefly by a CDN, like every public page", () => {
  const result = headers({} as Parameters<typeof headers>[0]);
  expect(new Headers(result).get("Cache-Control")).toMatch(/^public, /);
});
