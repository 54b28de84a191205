// GET /map through its real loader, on a small election with a few pledges
// recorded: colours, filters in the URL, and constituencies the layout lacks.
import { beforeEach, expect, test } from "vitest";
import { findCampaign } from "~/models/campaign.server";
import { recordPledgeByCampaign } from "~/models/pledge.server";
import { headers, loader } from "~/routes/map";
import { db } from "~/utils/db.server";
import { unpackCandidates } from "~/utils/map";
import { insertCampaign, insertCandidacy, insertConstituency, insertHexLayout, insertParty } from "../factories";

function record(personId: string, answer: (position: number) => "signed" | "declined" | undefined) {
  const campaign = findCampaign()!;
  const answers = Object.fromEntries(
    campaign.points.flatMap((p) => {
      const a = answer(p.position);
      return a ? [[p.id, a]] : [];
    }),
  );
  const result = recordPledgeByCampaign({
    electionId: campaign.electionId,
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

const bryngorCode = "W07009902";

// Five seats; Glenmorven and Strathkin is the top row of the layout.
beforeEach(() => {
  insertCampaign({ points: ["One.", "Two.", "Three.", "Four."].map((title) => ({ title, body: title })) });
  const brackenby = insertConstituency({
    name: "Brackenby Vale",
    regionCode: "E12000004",
    regionName: "East Midlands",
  });
  const wendlebury = insertConstituency({ name: "Wendlebury" });
  const bryngor = insertConstituency({ name: "Bryngôr", slug: "bryngor", nation: "Wales", gssCode: bryngorCode });
  const mardale = insertConstituency({ name: "Mardale and Thorne" });
  const glenmorven = insertConstituency({ name: "Glenmorven and Strathkin", nation: "Scotland", gssCode: "S14009901" });
  insertHexLayout({
    hexes: [
      { constituencyCode: glenmorven.gssCode, q: 1, r: 2 },
      { constituencyCode: mardale.gssCode, q: 0, r: 1 },
      { constituencyCode: brackenby.gssCode, q: 1, r: 1 },
      { constituencyCode: bryngor.gssCode, q: 0, r: 0 },
      { constituencyCode: wendlebury.gssCode, q: 1, r: 0 },
    ],
  });
  const labour = insertParty({ id: "PP53", name: "Labour Party" }).id;
  const libDem = insertParty({ id: "PP90", name: "Liberal Democrats" }).id;
  const conservative = insertParty({ id: "PP52", name: "Conservative and Unionist Party" }).id;
  const plaid = insertParty({ id: "PP77", name: "Plaid Cymru - The Party of Wales" }).id;
  const ruth = insertCandidacy({ constituency: brackenby, partyId: labour, name: "Ruth Adeyemi" });
  const felix = insertCandidacy({ constituency: brackenby, partyId: libDem, name: "Felix Garrowby" });
  insertCandidacy({ constituency: brackenby, partyId: conservative, name: "Edward James Fairbrother" });
  const tom = insertCandidacy({ constituency: wendlebury, partyId: libDem, name: "Tom Featherstone" });
  insertCandidacy({ constituency: wendlebury, partyId: conservative });
  const sion = insertCandidacy({ constituency: bryngor, partyId: plaid, name: "Siôn ap Dafydd" });
  insertCandidacy({ constituency: bryngor, partyId: conservative });
  insertCandidacy({ constituency: mardale, partyId: labour });
  insertCandidacy({ constituency: mardale, partyId: libDem });
  insertCandidacy({ constituency: glenmorven, partyId: conservative });

  record(ruth.personId, () => "signed"); // every point
  record(felix.personId, (n) => (n <= 2 ? "signed" : "declined")); // two
  record(tom.personId, () => "declined");
  record(sion.personId, (n) => (n === 1 ? "signed" : undefined)); // one
});

async function map(query = "") {
  return loader({ request: new Request(`http://localhost/map${query}`), params: {}, context: {} });
}

type MapPage = Awaited<ReturnType<typeof map>>;

/** The tooltip's candidates of one hex, as the page unpacks them. */
function candidatesOf(data: MapPage, name: string) {
  const hex = data.hexes.find((h) => h.name === name)!;
  return unpackCandidates(
    hex.candidates,
    data.parties.map((p) => p.name),
  );
}

function statuses(data: MapPage) {
  return Object.fromEntries(data.hexes.map((h) => [h.name, `${h.status}${h.matches ? "" : " (dim)"}`]));
}

test("every constituency is a hex of the layout, coloured by its best candidate", async () => {
  const data = await map();
  expect(data.layout).toMatchObject({ id: "test-layout", kind: "odd-r", viewBox: expect.stringMatching(/^0 0 /) });
  expect(data.hexes).toHaveLength(5);
  expect(data.offMap).toEqual([]);
  expect(data.total).toBe(5);
  expect(data.matching).toBe(5);
  expect(statuses(data)).toMatchObject({
    "Brackenby Vale": "signed-all",
    Bryngôr: "signed-some",
    Wendlebury: "declined",
    "Mardale and Thorne": "no-answer",
  });
  expect(data.counts).toEqual({ "signed-all": 1, "signed-some": 1, declined: 1, "no-answer": 2, none: 0, dim: 0 });

  const brackenby = data.hexes.find((h) => h.name === "Brackenby Vale")!;
  expect(brackenby).toMatchObject({ slug: "brackenby-vale", place: "East Midlands, England", signed: 1, standing: 3 });
  // Best answers first, then by name.
  expect(candidatesOf(data, "Brackenby Vale")).toEqual([
    { name: "Ruth Adeyemi", partyName: "Labour Party", status: "signed-all" },
    { name: "Felix Garrowby", partyName: "Liberal Democrats", status: "signed-some" },
    { name: "Edward James Fairbrother", partyName: "Conservative and Unionist Party", status: "no-answer" },
  ]);
  expect(data.hexes.find((h) => h.name === "Bryngôr")?.place).toBe("Wales");

  // Tab order reads the map: top row first, left to right.
  const order = data.hexes.map((h) => [h.y, h.x]);
  expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  expect(data.hexes[0]!.name).toBe("Glenmorven and Strathkin");

  expect(data.parties[0]).toEqual({ id: "PP52", name: "Conservative and Unionist Party", candidates: 4 });
  expect(data.parties.map((p) => p.id)).toContain("PP90");
  expect(data.query).toEqual({ party: undefined, status: undefined });
});

test("a status filter greys out the rest, keeping every hex in place", async () => {
  const all = await map();
  const data = await map("?status=signed-all");
  expect(data.hexes).toHaveLength(5);
  expect(data.hexes.map((h) => [h.code, h.x, h.y])).toEqual(all.hexes.map((h) => [h.code, h.x, h.y]));
  expect(data.matching).toBe(1);
  expect(data.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Brackenby Vale"]);
  expect(data.counts).toEqual({ "signed-all": 1, "signed-some": 0, declined: 0, "no-answer": 0, none: 0, dim: 4 });
  expect(data.query).toEqual({ party: undefined, status: "signed-all" });
});

test("a party filter colours each constituency by that party's candidate alone", async () => {
  const data = await map("?party=PP90");
  expect(data.partyName).toBe("Liberal Democrats");
  expect(data.matching).toBe(3);
  expect(statuses(data)).toEqual({
    "Brackenby Vale": "signed-some",
    Wendlebury: "declined",
    "Mardale and Thorne": "no-answer",
    Bryngôr: "none (dim)",
    "Glenmorven and Strathkin": "none (dim)",
  });
  const brackenby = data.hexes.find((h) => h.name === "Brackenby Vale")!;
  expect(candidatesOf(data, "Brackenby Vale")).toEqual([
    { name: "Felix Garrowby", partyName: "Liberal Democrats", status: "signed-some" },
  ]);
  expect(brackenby).toMatchObject({ signed: 0, standing: 1 });
  expect(data.counts).toEqual({ "signed-all": 0, "signed-some": 1, declined: 1, "no-answer": 1, none: 0, dim: 2 });

  const both = await map("?party=PP90&status=declined");
  expect(both.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Wendlebury"]);
  expect(both.matching).toBe(1);
});

test("filters it does not know are ignored, not an error", async () => {
  const data = await map("?party=PP99999&status=signed-everything");
  expect(data.query).toEqual({ party: undefined, status: undefined });
  expect(data.matching).toBe(5);
  expect(data.partyName).toBeUndefined();
});

test("a constituency the layout has no hex for is listed apart, and still in the data", async () => {
  db.$client.prepare("delete from hexes where constituency_code = ?").run(bryngorCode);
  const data = await map();
  expect(data.hexes).toHaveLength(4);
  expect(data.offMap).toEqual([expect.objectContaining({ code: bryngorCode, name: "Bryngôr", status: "signed-some" })]);
  expect(data.total).toBe(5);
});

test("with no layout imported, there is no map but every constituency is still there", async () => {
  db.$client.prepare("delete from hex_layouts").run();
  const data = await map();
  expect(data.layout).toBeNull();
  expect(data.hexes).toEqual([]);
  expect(data.offMap).toHaveLength(5);
});

test("the page may be cached briefly by a CDN, like every public page", () => {
  const result = headers({} as Parameters<typeof headers>[0]);
  expect(new Headers(result).get("Cache-Control")).toMatch(/^public, /);
});
