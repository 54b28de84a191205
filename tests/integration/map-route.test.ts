// GET /map through its real loader, on a small election with a few pledges
// recorded: colours, filters in the URL, and constituencies the layout lacks.
import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { constituencies, hexes, hexLayouts } from "#db/schema";
import { findCampaign } from "~/models/campaign.server";
import { recordPledgeByCampaign } from "~/models/pledge.server";
import { candidateLines } from "~/enhance/map-tooltip.js";
import { headers, loader } from "~/routes/map";
import { loader as tableLoader } from "~/routes/map_.table";
import { loader as tooltipsLoader } from "~/routes/map_.tooltips[.]json";
import { db } from "~/utils/db.server";
import {
  insertCampaign,
  insertCandidacy,
  insertConstituency,
  insertHexLayout,
  insertParty,
  insertPostcode,
} from "../factories";

async function record(personId: string, answer: (position: number) => "signed" | "declined" | undefined) {
  const campaign = (await findCampaign())!;
  const answers = Object.fromEntries(
    campaign.points.flatMap((p) => {
      const a = answer(p.position);
      return a ? [[p.id, a]] : [];
    }),
  );
  const result = await recordPledgeByCampaign({
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
beforeEach(async () => {
  await insertCampaign({ points: ["One.", "Two.", "Three.", "Four."].map((title) => ({ title, body: title })) });
  const brackenby = await insertConstituency({
    name: "Brackenby Vale",
    regionCode: "E12000004",
    regionName: "East Midlands",
  });
  const wendlebury = await insertConstituency({ name: "Wendlebury" });
  const bryngor = await insertConstituency({ name: "Bryngôr", slug: "bryngor", nation: "Wales", gssCode: bryngorCode });
  const mardale = await insertConstituency({ name: "Mardale and Thorne" });
  const glenmorven = await insertConstituency({
    name: "Glenmorven and Strathkin",
    nation: "Scotland",
    gssCode: "S14009901",
  });
  await insertHexLayout({
    hexes: [
      { constituencyCode: glenmorven.gssCode, q: 1, r: 2 },
      { constituencyCode: mardale.gssCode, q: 0, r: 1 },
      { constituencyCode: brackenby.gssCode, q: 1, r: 1 },
      { constituencyCode: bryngor.gssCode, q: 0, r: 0 },
      { constituencyCode: wendlebury.gssCode, q: 1, r: 0 },
    ],
  });
  const labour = (await insertParty({ id: "PP53", name: "Labour Party" })).id;
  const libDem = (await insertParty({ id: "PP90", name: "Liberal Democrats" })).id;
  const conservative = (await insertParty({ id: "PP52", name: "Conservative and Unionist Party" })).id;
  const plaid = (await insertParty({ id: "PP77", name: "Plaid Cymru - The Party of Wales" })).id;
  const ruth = await insertCandidacy({ constituency: brackenby, partyId: labour, name: "Ruth Adeyemi" });
  const felix = await insertCandidacy({ constituency: brackenby, partyId: libDem, name: "Felix Garrowby" });
  await insertCandidacy({ constituency: brackenby, partyId: conservative, name: "Edward James Fairbrother" });
  const tom = await insertCandidacy({ constituency: wendlebury, partyId: libDem, name: "Tom Featherstone" });
  await insertCandidacy({ constituency: wendlebury, partyId: conservative });
  const sion = await insertCandidacy({ constituency: bryngor, partyId: plaid, name: "Siôn ap Dafydd" });
  await insertCandidacy({ constituency: bryngor, partyId: conservative });
  await insertCandidacy({ constituency: mardale, partyId: labour });
  await insertCandidacy({ constituency: mardale, partyId: libDem });
  await insertCandidacy({ constituency: glenmorven, partyId: conservative });

  await record(ruth.personId, () => "signed"); // every point
  await record(felix.personId, (n) => (n <= 2 ? "signed" : "declined")); // two
  await record(tom.personId, () => "declined");
  await record(sion.personId, (n) => (n === 1 ? "signed" : undefined)); // one
});

/** GET /map through the real loader: its status, headers and data (or where it redirects). */
async function visit(query = "") {
  try {
    const result = await loader({ request: new Request(`http://localhost/map${query}`), params: {}, context: {} });
    const init = result.init && typeof result.init === "object" ? result.init : {};
    return { status: init.status ?? 200, headers: new Headers(init.headers), page: result.data, location: null };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, headers: thrown.headers, page: null, location: thrown.headers.get("Location") };
  }
}

async function map(query = "") {
  const { page } = await visit(query);
  if (!page) throw new Error(`/map${query} redirected`);
  return page;
}

type MapPage = Awaited<ReturnType<typeof map>>;

/** What the tooltip script shows for a constituency, from /map/tooltips.json. */
async function tooltipOf(slug: string, query = "") {
  const response = await tooltipsLoader({
    request: new Request(`http://localhost/map/tooltips.json${query}`),
    params: {},
    context: {},
  });
  const data = (await response.json()) as Parameters<typeof candidateLines>[1];
  const seat = data.seats[slug]!;
  return { name: seat[0], status: seat[1], lines: candidateLines(seat[2], data) };
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
  // The tooltip: best answers first, then by name.
  expect(await tooltipOf("brackenby-vale")).toEqual({
    name: "Brackenby Vale",
    status: "Signed every point",
    lines: [
      "Ruth Adeyemi (Labour Party): Signed every point",
      "Felix Garrowby (Liberal Democrats): Signed some points",
      "Edward James Fairbrother (Conservative and Unionist Party): No answer yet",
    ],
  });
  expect(data.hexes.find((h) => h.name === "Bryngôr")?.place).toBe("Wales");

  // Tab order reads the map: top row first, left to right.
  const order = data.hexes.map((h) => [h.y, h.x]);
  expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  expect(data.hexes[0]!.name).toBe("Glenmorven and Strathkin");

  expect(data.parties[0]).toEqual({ id: "PP52", name: "Conservative and Unionist Party", candidates: 4 });
  expect(data.parties.map((p) => p.id)).toContain("PP90");
  expect(data.query).toEqual({ party: undefined, status: undefined, region: undefined, seat: undefined });
});

test("a status filter greys out the rest, keeping every hex in place", async () => {
  const all = await map();
  const data = await map("?status=signed-all");
  expect(data.hexes).toHaveLength(5);
  expect(data.hexes.map((h) => [h.code, h.x, h.y])).toEqual(all.hexes.map((h) => [h.code, h.x, h.y]));
  expect(data.matching).toBe(1);
  expect(data.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Brackenby Vale"]);
  expect(data.counts).toEqual({ "signed-all": 1, "signed-some": 0, declined: 0, "no-answer": 0, none: 0, dim: 4 });
  expect(data.query).toEqual({ party: undefined, status: "signed-all", region: undefined, seat: undefined });
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
  expect(await tooltipOf("brackenby-vale", "?party=PP90")).toEqual({
    name: "Brackenby Vale",
    status: "Signed some points",
    lines: ["Felix Garrowby (Liberal Democrats): Signed some points"],
  });
  expect((await tooltipOf("bryngor", "?party=PP90")).status).toBe("No Liberal Democrats candidate");
  expect(brackenby).toMatchObject({ signed: 0, standing: 1 });
  expect(data.counts).toEqual({ "signed-all": 0, "signed-some": 1, declined: 1, "no-answer": 1, none: 0, dim: 2 });

  const both = await map("?party=PP90&status=declined");
  expect(both.hexes.filter((h) => h.matches).map((h) => h.name)).toEqual(["Wendlebury"]);
  expect(both.matching).toBe(1);
});

test("filters it does not know are ignored, not an error", async () => {
  const data = await map("?party=PP99999&status=signed-everything");
  expect(data.query).toEqual({ party: undefined, status: undefined, region: undefined, seat: undefined });
  expect(data.matching).toBe(5);
  expect(data.partyName).toBeUndefined();
});

test("a constituency the layout has no hex for is listed apart, and still in the data", async () => {
  await writeTransaction(db, () => db.delete(hexes).where(eq(hexes.constituencyCode, bryngorCode)));
  const data = await map();
  expect(data.hexes).toHaveLength(4);
  expect(data.offMap).toEqual([expect.objectContaining({ code: bryngorCode, name: "Bryngôr", status: "signed-some" })]);
  expect(data.total).toBe(5);
});

test("with no layout imported, there is no map but every constituency is still there", async () => {
  await writeTransaction(db, () => db.delete(hexLayouts));
  const data = await map();
  expect(data.layout).toBeNull();
  expect(data.hexes).toEqual([]);
  expect(data.offMap).toHaveLength(5);
});

test("the page may be cached briefly by a CDN, like every public page", () => {
  const result = headers({ loaderHeaders: new Headers() } as Parameters<typeof headers>[0]);
  expect(new Headers(result).get("Cache-Control")).toMatch(/^public, /);
  // An answer to the find box says private, and the route passes that on.
  const found = headers({ loaderHeaders: new Headers({ "Cache-Control": "private, no-store" }) } as Parameters<
    typeof headers
  >[0]);
  expect(new Headers(found).get("Cache-Control")).toBe("private, no-store");
});

test("the tooltips' data is public, cached like the page, and carries no more than the tooltips show", async () => {
  const response = await tooltipsLoader({
    request: new Request("http://localhost/map/tooltips.json"),
    params: {},
    context: {},
  });
  expect(response.headers.get("Cache-Control")).toMatch(/^public, /);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/@|person_id|E14|email/i);
  expect(Object.keys((JSON.parse(text) as { seats: object }).seats).sort()).toEqual([
    "brackenby-vale",
    "bryngor",
    "glenmorven-and-strathkin",
    "mardale-and-thorne",
    "wendlebury",
  ]);
});

test("every nation and English region with hexes is a zoom link, with outlines for each and a label for each", async () => {
  const data = await map();
  expect(data.areas.map((a) => [a.slug, a.kind, a.constituencies])).toEqual([
    ["england", "nation", 3],
    ["east-midlands", "region", 1],
    ["london", "region", 2],
    ["scotland", "nation", 1],
    ["wales", "nation", 1],
  ]);
  // Two English regions; three nations, each one closed outline or more.
  expect(data.layout!.regions).toHaveLength(2);
  expect(data.layout!.nations).toHaveLength(3);
  for (const d of [...data.layout!.regions, ...data.layout!.nations])
    expect(d).toMatch(/^(M[\d.]+ [\d.]+l[-\d. ]+z)+$/);
  expect(data.layout!.labels.map((l) => l.text).sort()).toEqual(["East Midlands", "London", "Scotland", "Wales"]);
});

test("?region= zooms to that area: a closer view, only its constituencies linked, counted and listed, the rest in view drawn faintly", async () => {
  const whole = await map();
  const data = await map("?region=london");
  expect(data.view.area).toMatchObject({ slug: "london", name: "London" });
  expect(data.hexes.map((h) => h.name).sort()).toEqual(["Mardale and Thorne", "Wendlebury"]);
  expect(data.total).toBe(2);
  expect(data.counts).toEqual({ "signed-all": 0, "signed-some": 0, declined: 1, "no-answer": 1, none: 0, dim: 0 });
  expect(data.context.length).toBeGreaterThan(0);
  // Hexes keep their places: the view moves, not the map.
  expect(data.hexes.map((h) => [h.x, h.y])).toEqual(
    whole.hexes.filter((h) => h.place === "London, England").map((h) => [h.x, h.y]),
  );
  const [, , wholeWidth] = whole.view.viewBox.split(" ").map(Number);
  const [x, y, width, height] = data.view.viewBox.split(" ").map(Number) as [number, number, number, number];
  expect(width).toBeLessThanOrEqual(wholeWidth!);
  for (const h of data.hexes) {
    expect(h.x).toBeGreaterThan(x);
    expect(h.x).toBeLessThan(x + width);
    expect(h.y).toBeGreaterThan(y);
    expect(h.y).toBeLessThan(y + height);
  }

  // A nation zooms too, and combines with the filters (a repeated parameter means its last).
  const wales = await map("?region=scotland&party=PP53&region=wales&status=signed-some");
  expect(wales.view.area?.slug).toBe("wales");
  expect(wales.query).toEqual({ party: "PP53", status: "signed-some", region: "wales", seat: undefined });
  expect(wales.hexes.map((h) => [h.name, h.matches])).toEqual([["Bryngôr", false]]);
  expect(wales.matching).toBe(0);

  // An area that is not one: the whole map, not an error.
  const unknown = await map("?region=atlantis");
  expect(unknown.view.area).toBeUndefined();
  expect(unknown.view.viewBox).toBe(whole.view.viewBox);
  expect(unknown.hexes).toHaveLength(5);
});

test("?seat= rings that constituency and zooms to its region, keeping the filters", async () => {
  const data = await map("?seat=wendlebury&party=PP90");
  expect(data.view.seat).toMatchObject({ name: "Wendlebury", slug: "wendlebury", areaName: "London" });
  expect(data.view.area?.slug).toBe("london");
  expect(data.query).toMatchObject({ party: "PP90", seat: "wendlebury", region: "london" });
  // Asked to zoom elsewhere, the seat wins: a ring out of view would help no one.
  expect((await map("?seat=wendlebury&region=wales")).view.area?.slug).toBe("london");
  expect((await map("?seat=wendlebury&region=england")).view.area?.slug).toBe("england");
  // Outside England a seat's region is its nation.
  expect((await map("?seat=bryngor")).view).toMatchObject({ area: { slug: "wales" }, seat: { areaName: "Wales" } });
  // A seat that is not one rings nothing.
  const unknown = await map("?seat=nowhere-at-all");
  expect(unknown.view.seat).toBeUndefined();
  expect(unknown.view.area).toBeUndefined();
});

test("the find box: a postcode or a whole name goes to that seat's map, keeping the filters; the answer is not cached", async () => {
  const [brackenby] = await db
    .select({ gssCode: constituencies.gssCode })
    .from(constituencies)
    .where(eq(constituencies.slug, "brackenby-vale"));
  await insertPostcode({ postcode: "ZZ4 1AA", constituencyCode: brackenby!.gssCode });
  const byPostcode = await visit("?find=zz41aa&party=PP53");
  expect(byPostcode.status).toBe(302);
  expect(byPostcode.location).toBe("/map?party=PP53&seat=brackenby-vale");
  expect(byPostcode.headers.get("Cache-Control")).toBe("private, no-store");

  // Case, accents and spacing do not matter; a whole name is the one, even where it is part of others.
  expect((await visit("?find=%20bryngor%20")).location).toBe("/map?seat=bryngor");
  expect((await visit("?find=Wendlebury")).location).toBe("/map?seat=wendlebury");
  expect((await visit("?find=strathkin")).location).toBe("/map?seat=glenmorven-and-strathkin");
});

test("the find box: a name in several seats is a list to choose from", async () => {
  await insertConstituency({ name: "Wendlebury North", gssCode: "E14009951" });
  const result = await visit("?find=wendle&status=declined");
  expect(result.status).toBe(200);
  expect(result.headers.get("Cache-Control")).toBe("private, no-store");
  expect(result.page!.search).toEqual({
    typed: "wendle",
    errors: {},
    choices: {
      list: [
        { name: "Wendlebury", slug: "wendlebury", regionName: "London" },
        { name: "Wendlebury North", slug: "wendlebury-north", regionName: "London" },
      ],
      more: false,
    },
  });
  // The map itself is still there, filtered as asked.
  expect(result.page!.query.status).toBe("declined");
});

test("the find box: nothing typed, an unknown name or postcode, or half a postcode, is an error saying what to do", async () => {
  const cases: [string, number, string][] = [
    ["?find=", 400, "Enter a postcode or the name of a constituency"],
    ["?find=Atlantis", 400, "We cannot find a constituency called ‘Atlantis’. Check the spelling, or enter a postcode"],
    [
      "?find=ZZ9+9ZZ",
      404,
      "We cannot find the postcode ZZ9 9ZZ. Check it and try again, or enter the constituency’s name",
    ],
    ["?find=SW1A", 400, "Enter a full postcode, like SW1A 1AA, or the name of a constituency"],
  ];
  for (const [query, status, message] of cases) {
    const result = await visit(query);
    expect([query, result.status]).toEqual([query, status]);
    expect(result.page!.search.errors).toEqual({ find: message });
    expect(result.headers.get("Cache-Control")).toBe("private, no-store");
    // The whole map is still shown below the error.
    expect(result.page!.hexes).toHaveLength(5);
  }
  expect((await visit("?find=Atlantis")).page!.search.typed).toBe("Atlantis");
});

test("the filter form's empty fields are dropped from the address; an empty find box is kept to say what to enter", async () => {
  expect(await visit("?party=&status=signed-all&region=")).toMatchObject({
    status: 302,
    location: "/map?status=signed-all",
  });
  const blank = await visit("?find=&party=");
  expect(blank.location).toBeNull();
});

/** GET /map/table through its real loader: its data, or where it redirects. */
async function table(query = "") {
  try {
    const result = await tableLoader({
      request: new Request(`http://localhost/map/table${query}`),
      params: {},
      context: {},
    });
    return { page: result.data, location: null };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { page: null, location: thrown.headers.get("Location") };
  }
}

test("the map as a table: a row for each constituency the map's filters keep, by name, off-map seats included (signed: every point)", async () => {
  await writeTransaction(db, () => db.delete(hexes).where(eq(hexes.constituencyCode, bryngorCode)));
  const { page: all } = await table();
  expect(all!.rows.map((r) => [r.name, r.status, `${r.signed} of ${r.standing}`])).toEqual([
    ["Brackenby Vale", "signed-all", "1 of 3"],
    ["Bryngôr", "signed-some", "0 of 2"],
    ["Glenmorven and Strathkin", "no-answer", "0 of 1"],
    ["Mardale and Thorne", "no-answer", "0 of 2"],
    ["Wendlebury", "declined", "0 of 2"],
  ]);
  expect(all!.total).toBe(5);

  // The same answers as the map for the same filters, and the zoom narrows it to that area.
  const map_ = await map("?party=PP90");
  const { page: libDem } = await table("?party=PP90");
  expect(libDem!.rows.map((r) => [r.name, r.status])).toEqual(
    map_.hexes
      .filter((h) => h.matches)
      .map((h) => [h.name, h.status])
      .sort(([a], [b]) => a!.localeCompare(b!, "en-GB")),
  );
  expect(libDem!.partyName).toBe("Liberal Democrats");
  const { page: london } = await table("?region=london&status=declined");
  expect(london!.rows.map((r) => r.name)).toEqual(["Wendlebury"]);
  expect(london!.areaName).toBe("London");
  expect(london!.query).toEqual({ party: undefined, status: "declined", region: "london" });
});

test("the map as a table drops empty filters from its address and has no ringed seat", async () => {
  expect((await table("?party=&status=declined&region=")).location).toBe("/map/table?status=declined");
  const { page } = await table("?seat=wendlebury");
  expect(page!.query).toEqual({ party: undefined, status: undefined, region: undefined });
  expect(page!.rows).toHaveLength(5);
});
