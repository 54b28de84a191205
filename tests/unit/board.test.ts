import { expect, test } from "vitest";
import {
  boardHref,
  boardTableRow,
  filterBoard,
  PAGE_SIZE,
  pageOf,
  sortBoard,
  splitPartyTally,
  summariseBoard,
  type BoardRow,
} from "~/utils/board";
import { parseBoardQuery } from "~/utils/page-query";
import { bestPledgeStatus, pledgeStatusOf } from "~/utils/pledge";

let nextId = 1;
function row(overrides: Partial<BoardRow>): BoardRow {
  const id = nextId++;
  return {
    id,
    personId: String(900000 + id),
    name: `Candidate ${id}`,
    partyId: "PP53",
    partyName: "Labour Party",
    constituencyCode: "E14009001",
    constituencyName: "Kirkmoor and Dunley",
    constituencySlug: "kirkmoor-and-dunley",
    nation: "England",
    regionName: "North East",
    standing: true,
    signed: 0,
    declined: 0,
    status: "no-answer",
    trustMark: null,
    updatedAt: null,
    ...overrides,
  };
}

const rows = [
  row({ name: "Ann Able", status: "signed-all", signed: 4 }),
  row({ name: "Ben Baker", partyId: "PP52", partyName: "Conservative and Unionist Party", status: "declined" }),
  row({
    name: "Cat Cole",
    constituencyCode: "W07009001",
    constituencyName: "Rhosgoch and Afon Dŵr",
    nation: "Wales",
    regionName: "Wales",
    status: "signed-some",
    signed: 2,
  }),
  row({
    name: "Dai Davies",
    constituencyCode: "W07009001",
    constituencyName: "Rhosgoch and Afon Dŵr",
    nation: "Wales",
    regionName: "Wales",
    partyId: "PP77",
    partyName: "Plaid Cymru",
    status: "signed-all",
    signed: 4,
  }),
  row({ name: "Eve Evans", standing: false, status: "withdrawn" }),
];

test("a status follows the answers: every point, some, only declines, none, or withdrawn", () => {
  expect(pledgeStatusOf({ standing: true, signed: 4, declined: 0, pointCount: 4 })).toBe("signed-all");
  expect(pledgeStatusOf({ standing: true, signed: 3, declined: 1, pointCount: 4 })).toBe("signed-some");
  expect(pledgeStatusOf({ standing: true, signed: 0, declined: 2, pointCount: 4 })).toBe("declined");
  expect(pledgeStatusOf({ standing: true, signed: 0, declined: 0, pointCount: 4 })).toBe("no-answer");
  expect(pledgeStatusOf({ standing: false, signed: 4, declined: 0, pointCount: 4 })).toBe("withdrawn");
  expect(bestPledgeStatus(["declined", "signed-some", "no-answer"])).toBe("signed-some");
  expect(bestPledgeStatus([])).toBe("withdrawn");
});

test("the query string is parsed once; unknown values fall back to showing everything", () => {
  expect(parseBoardQuery(new URLSearchParams("status=bogus&sort=nonsense&page=-3&party=PP53&q=%20"))).toEqual({
    nation: undefined,
    region: undefined,
    party: "PP53",
    status: undefined,
    q: undefined,
    sort: "constituency",
    page: 1,
  });
});

test("filters combine, and search ignores case and accents", () => {
  const all = parseBoardQuery(new URLSearchParams());
  expect(filterBoard(rows, { ...all, nation: "Wales" }).map((r) => r.name)).toEqual(["Cat Cole", "Dai Davies"]);
  expect(filterBoard(rows, { ...all, status: "signed-all", nation: "Wales" }).map((r) => r.name)).toEqual([
    "Dai Davies",
  ]);
  expect(filterBoard(rows, { ...all, party: "PP52" }).map((r) => r.name)).toEqual(["Ben Baker"]);
  expect(filterBoard(rows, { ...all, q: "afon dwr" }).map((r) => r.name)).toEqual(["Cat Cole", "Dai Davies"]);
  expect(filterBoard(rows, { ...all, q: "BEN" }).map((r) => r.name)).toEqual(["Ben Baker"]);
});

test("sorting by status puts signed first; ties fall back to constituency then name", () => {
  expect(sortBoard(rows, "status").map((r) => r.name)).toEqual([
    "Ann Able",
    "Dai Davies",
    "Cat Cole",
    "Ben Baker",
    "Eve Evans",
  ]);
  expect(sortBoard(rows, "party").map((r) => r.partyName)[0]).toBe("Conservative and Unionist Party");
});

test("the headline counts: signed every point out of standing, constituencies with one, by party and region", () => {
  const summary = summariseBoard(rows);
  expect(summary).toMatchObject({
    standing: 4,
    signedAll: 2,
    signedSome: 1,
    constituencies: 2,
    constituenciesWithSigned: 2,
  });
  expect(summary.byParty).toEqual([
    { key: "PP53", label: "Labour Party", signed: 1, standing: 2 },
    { key: "PP77", label: "Plaid Cymru", signed: 1, standing: 1 },
    { key: "PP52", label: "Conservative and Unionist Party", signed: 0, standing: 1 },
  ]);
  expect(summary.byRegion.map((t) => [t.label, t.signed, t.standing])).toEqual([
    ["North East", 1, 2],
    ["Wales", 1, 2],
  ]);
});

test("paging keeps every filter in the link and clamps out-of-range pages", () => {
  const many = Array.from({ length: PAGE_SIZE * 2 + 1 }, () => row({}));
  expect(pageOf(many, 3)).toMatchObject({ page: 3, pages: 3 });
  expect(pageOf(many, 3).rows).toHaveLength(1);
  expect(pageOf(many, 99).page).toBe(3);
  const query = parseBoardQuery(new URLSearchParams("nation=Wales&status=signed-all&sort=party"));
  expect(boardHref(query, { page: 2 })).toBe("/board?nation=Wales&status=signed-all&sort=party&page=2");
  expect(boardHref(query, { sort: "constituency" })).toBe("/board?nation=Wales&status=signed-all");
});

test("a row shows its trust mark and the day its pledge last changed, and carries nothing the table does not show", () => {
  const verified = row({
    name: "Fay Ford",
    status: "signed-all",
    signed: 4,
    trustMark: "verified-by-email",
    // 23:30 in London on 3 June is still 3 June there, whatever UTC says.
    updatedAt: "2024-06-03T22:30:00.000Z",
  });
  expect(boardTableRow(verified)).toEqual({
    id: verified.id,
    personId: verified.personId,
    name: "Fay Ford",
    partyName: "Labour Party",
    constituencyName: "Kirkmoor and Dunley",
    constituencySlug: "kirkmoor-and-dunley",
    status: "signed-all",
    signed: 4,
    trust: "Verified by email, 3 Jun 2024",
  });
  const declined = row({
    status: "declined",
    declined: 4,
    trustMark: "recorded-by-campaign",
    updatedAt: "2024-06-20T10:00:00.000Z",
  });
  expect(boardTableRow(declined).trust).toBe("Recorded by the campaign, 20 Jun 2024");
  // A recorded pledge later withdrawn to "not answered" vouches for nothing.
  const cleared = row({ trustMark: "recorded-by-campaign", updatedAt: "2024-06-21T10:00:00.000Z" });
  expect(boardTableRow(cleared).trust).toBeNull();
  expect(boardTableRow(row({})).trust).toBeNull();
});

test("withdrawn candidates are apart: out of the default list, which then agrees with the headline", () => {
  const list = [
    row({ name: "Still Standing" }),
    row({ name: "Gone Away", standing: false, status: "withdrawn" }),
    row({ name: "Also Standing", status: "signed-all", signed: 4 }),
  ];
  const query = parseBoardQuery(new URLSearchParams());
  expect(filterBoard(list, query).map((r) => r.name)).toEqual(["Still Standing", "Also Standing"]);
  expect(summariseBoard(list).standing).toBe(filterBoard(list, query).length);
  const withdrawn = parseBoardQuery(new URLSearchParams("status=withdrawn"));
  expect(filterBoard(list, withdrawn).map((r) => r.name)).toEqual(["Gone Away"]);
});

test("the party tally lists parties standing widely first and folds the rest", () => {
  const tally = (label: string, standing: number, signed = 0) => ({ key: label, label, standing, signed });
  const { shown, folded } = splitPartyTally([
    tally("Small Signed", 2, 1),
    tally("Big", 600, 3),
    tally("Bigger", 630),
    tally("Tiny", 1),
    tally("Local", 3),
  ]);
  expect(shown.map((t) => t.label)).toEqual(["Bigger", "Big"]);
  expect(folded.map((t) => t.label)).toEqual(["Small Signed", "Tiny", "Local"]);
});

test("the nation tally counts each nation's candidates who signed every point", () => {
  const summary = summariseBoard([
    row({ nation: "Wales", regionName: null, status: "signed-all", signed: 4 }),
    row({ nation: "Wales", regionName: null }),
    row({ nation: "England" }),
  ]);
  expect(summary.byNation).toEqual([
    { key: "Wales", label: "Wales", signed: 1, standing: 2 },
    { key: "England", label: "England", signed: 0, standing: 1 },
  ]);
});
