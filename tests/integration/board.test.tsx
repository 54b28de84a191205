// @vitest-environment jsdom
import { join } from "node:path";
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { writeTransaction } from "#db/index";
import { runImport } from "~/importers/import.server";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { findCampaign } from "~/models/campaign.server";
import { recordImportRun } from "~/models/import-run.server";
import { issueSigningLink, recordPledgeFromLink } from "~/models/signing-link.server";
import Board, { loader } from "~/routes/board";
import ConstituencyPage, { loader as constituencyLoader } from "~/routes/constituencies.$slug";
import { db } from "~/utils/db.server";
import { fixtureElectionDir } from "../fixture-election";
import { realDataDir } from "../real-data";
import { insertCampaign, insertCandidacy, insertConstituency, insertParty, insertPledgeByCampaign } from "../factories";

const realDir = realDataDir("the real-data board test");

async function boardData(search = "") {
  return loader({ request: new Request(`http://localhost/board${search}`), params: {}, context: {} });
}

async function record(personId: string, sign: number[], decline: number[] = []) {
  await insertPledgeByCampaign({ personId, sign, decline, now: new Date("2024-06-20T10:00:00Z") });
}

test("counts and filters follow the recorded pledges", async () => {
  await insertCampaign({ points: ["One.", "Two.", "Three.", "Four."].map((title) => ({ title, body: title })) });
  const brackenby = await insertConstituency({ name: "Brackenby Vale" });
  const elsewhere = await insertConstituency({ name: "Glynmawr and Afon Dŵr", nation: "Wales", gssCode: "W07009901" });
  const labour = await insertParty({ id: "PP53", name: "Labour Party" });
  const green = await insertParty({ id: "PP63", name: "Green Party" });
  const made: Awaited<ReturnType<typeof insertCandidacy>>[] = [];
  for (const party of [labour, labour, green, green]) {
    made.push(await insertCandidacy({ constituency: brackenby, partyId: party.id }));
  }
  const [ruth, edward, zoe, felix] = made;
  const sian = await insertCandidacy({ constituency: elsewhere, partyId: labour.id });
  const quiet = await insertCandidacy({ constituency: elsewhere, partyId: green.id });
  // In Brackenby Vale two sign everything, one some, one declines; in Wales one signs everything.
  await record(ruth!.personId, [1, 2, 3, 4]);
  await record(edward!.personId, [1, 2, 3, 4]);
  await record(zoe!.personId, [1, 2], [3]);
  await record(felix!.personId, [], [1, 2, 3, 4]);
  await record(sian.personId, [1, 2, 3, 4]);

  const data = await boardData();
  expect(data.summary.signedAll).toBe(3);
  expect(data.summary.signedSome).toBe(1);
  expect(data.summary.constituenciesWithSigned).toBe(2);
  expect((await boardData("?status=signed-all&q=brackenby")).rows.map((r) => r.personId).sort()).toEqual(
    [ruth!.personId, edward!.personId].sort(),
  );
  expect((await boardData("?status=declined&q=brackenby")).rows.map((r) => r.personId)).toEqual([felix!.personId]);
  expect((await boardData("?nation=England&status=signed-some&q=brackenby")).rows.map((r) => r.personId)).toEqual([
    zoe!.personId,
  ]);
  expect((await boardData("?nation=Wales&q=brackenby")).rows).toEqual([]);
  expect((await boardData("?nation=Wales")).rows.map((r) => r.personId).sort()).toEqual(
    [sian.personId, quiet.personId].sort(),
  );
  expect(data.summary.byParty.find((t) => t.key === "PP53")?.signed).toBe(3);
});

test("each answered row on the board and the constituency page says how we know and when", async () => {
  await insertCampaign({ points: ["One.", "Two."].map((title) => ({ title, body: title })) });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const verified = await insertCandidacy({ constituency: seat, name: "Ruth Verified", email: "ruth@example.org" });
  const recorded = await insertCandidacy({ constituency: seat, name: "Edward Recorded" });
  await insertCandidacy({ constituency: seat, name: "Zoe Quiet" });
  const link = (await writeTransaction(db, async () =>
    issueSigningLink({ candidacyId: verified.id, now: new Date("2024-06-02T09:00:00Z") }),
  ))!;
  const points = (await findCampaign())!.points;
  await recordPledgeFromLink({
    token: link.url.split("/pledge/sign/")[1]!,
    answers: { [points[0]!.id]: "signed", [points[1]!.id]: "signed" },
    statement: null,
    now: new Date("2024-06-03T10:00:00Z"),
  });
  await record(recorded.personId, [], [1, 2]);

  const Stub = createRemixStub([
    { path: "/board", Component: Board, loader: async () => boardData() },
    {
      path: "/constituencies/:slug",
      Component: ConstituencyPage,
      loader: async ({ params, request }) => constituencyLoader({ params, request, context: {} }),
    },
  ]);
  const rowText = (table: HTMLElement, name: string) =>
    within(table).getByRole("rowheader", { name }).closest("tr")!.textContent!.replace(/\s+/g, " ");

  const { unmount } = render(<Stub initialEntries={["/board"]} />);
  const board = await screen.findByRole("table", { name: "Candidates and their pledge status" });
  // The status comes straight after the name (on a phone the rest of the row scrolls in its box).
  expect(rowText(board, "Ruth Verified")).toMatch(/^Ruth Verified ?Signed every point ?Verified by email, 3 Jun 2024/);
  expect(rowText(board, "Edward Recorded")).toMatch(
    /^Edward Recorded ?Declined ?Recorded by the campaign, 20 Jun 2024/,
  );
  expect(rowText(board, "Zoe Quiet")).toMatch(/^Zoe Quiet ?No answer yet/);
  unmount();

  render(<Stub initialEntries={[`/constituencies/${seat.slug}`]} />);
  const rows = await screen.findByRole("table", { name: "Candidates standing in Brackenby Vale" });
  expect(rowText(rows, "Ruth Verified")).toMatch(/Signed every point ?Verified by email, 3 Jun 2024$/);
  expect(rowText(rows, "Edward Recorded")).toMatch(/Declined ?Recorded by the campaign, 20 Jun 2024$/);
  expect(rowText(rows, "Zoe Quiet")).toMatch(/No answer yet$/);
});

test("the filter form's empty fields are dropped from the address: one redirect to the same filters", async () => {
  let thrown: unknown;
  try {
    await boardData("?q=&nation=Wales&region=&party=&status=&sort=party");
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Response);
  expect((thrown as Response).status).toBe(302);
  expect((thrown as Response).headers.get("location")).toBe("/board?nation=Wales&sort=party");
  await expect(boardData("?nation=Wales&sort=party")).resolves.toBeDefined();
});

test("the board says where its candidate data came from and when, from the newest applied import", async () => {
  await insertCampaign({ points: [{ title: "One.", body: "One." }] });
  const run = async (kind: "dc-candidates" | "oi-candidates", at: string, dryRun = false) =>
    recordImportRun({
      kind,
      fileName: `${kind}.csv`,
      sha256: "0".repeat(64),
      dryRun,
      rows: 1,
      added: 1,
      updated: 0,
      withdrawn: 0,
      removed: 0,
      unchanged: 0,
      startedAt: new Date(at),
      finishedAt: new Date(at),
    });
  await run("oi-candidates", "2024-05-01T09:00:00Z");
  await run("dc-candidates", "2024-06-03T09:00:00Z");
  await run("oi-candidates", "2024-06-20T09:00:00Z", true); // a dry run writes nothing, so it is not news
  const Stub = createRemixStub([{ path: "/board", Component: Board, loader: async () => boardData() }]);
  const { unmount } = render(<Stub initialEntries={["/board"]} />);
  await screen.findByText("Candidate data from Democracy Club, last updated 3 Jun 2024.");
  unmount();
});

describe.skipIf(!realDir)("with the real 2024 election", () => {
  test("the board renders all 650 seats and 4,515 candidates, 50 to a page", async () => {
    await loadCampaignSettings({ path: `${fixtureElectionDir}campaign.json` });
    for (const file of [
      "HoC-GE2024-results-by-constituency.csv",
      "ons-pcon24-names-and-codes-uk-v2.csv",
      "oi-ge2024-candidates.csv",
    ]) {
      await runImport({ path: join(realDir!, file) });
    }
    const data = await boardData();
    expect(data.summary).toMatchObject({ standing: 4515, constituencies: 650, signedAll: 0 });
    expect(data.pages).toBe(91);

    const Stub = createRemixStub([
      { path: "/board", Component: Board, loader: async () => boardData("?nation=Scotland") },
    ]);
    render(<Stub initialEntries={["/board?nation=Scotland"]} />);
    const table = await screen.findByRole("table", { name: "Candidates and their pledge status" });
    expect(within(table).getAllByRole("row")).toHaveLength(51);
    expect(screen.getByRole("heading", { level: 2, name: /candidates, page 1 of/ }).textContent).toMatch(
      /^\d[\d,]* candidates, page 1 of \d+$/,
    );
    expect(screen.getByText(/of 57 constituencies have at least one candidate/)).toBeTruthy();
  });
});
