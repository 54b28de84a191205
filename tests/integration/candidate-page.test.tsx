// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { findCampaign, saveCampaign } from "~/models/campaign.server";
import { recordPledgeByCampaign } from "~/models/pledge.server";
import CandidatePage, { loader } from "~/routes/candidates.$personId";
import { buildCampaignSettings, insertCampaign, insertCandidacy } from "../factories";

// The public candidate page as rendered from its real loader: the history shows
// what each version of the pledge said, not just when it changed.
async function record(
  personId: string,
  inOrder: ("signed" | "declined" | null)[],
  statement: string | null,
  now: string,
) {
  const campaign = (await findCampaign())!;
  const answers: Record<number, "signed" | "declined"> = {};
  campaign.points.forEach((p, i) => {
    const answer = inOrder[i];
    if (answer) answers[p.id] = answer;
  });
  const result = await recordPledgeByCampaign({
    electionId: campaign.electionId,
    personId,
    answers,
    statement,
    evidenceUrl: `https://example.org/evidence/${now}`,
    note: "test",
    recordedBy: "test",
    now: new Date(now),
  });
  expect(result.status).toBe("recorded");
}

afterEach(() => cleanup());

async function renderCandidatePage({ personId, name }: { personId: string; name: string }) {
  const Stub = createRemixStub([
    {
      path: "/candidates/:personId",
      Component: CandidatePage,
      loader: async ({ params, request }) => loader({ params, request, context: {} }),
    },
  ]);
  render(<Stub initialEntries={[`/candidates/${personId}`]} />);
  await screen.findByRole("heading", { level: 1, name });
}

test("the history shows each earlier version's answers and statement, newest first, dated, with its trust mark", async () => {
  const titles = ["Point one.", "Point two.", "Point three.", "Point four."];
  await insertCampaign({ points: titles.map((title) => ({ title, body: `What ${title} means.` })) });
  const candidate = await insertCandidacy({ name: "Ruth Adeyemi" });
  await record(candidate.personId, ["signed", null, "declined", null], "Only point 1 for now.", "2024-06-20T10:00:00Z");
  await record(candidate.personId, ["signed", "signed", "signed", "declined"], null, "2024-06-25T10:00:00Z");
  await renderCandidatePage(candidate);

  const versions = within(screen.getByText("Every change (2)").closest("details")!).getAllByRole("listitem", {
    name: "",
  });
  const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
  expect(headings).toEqual(["Current answers, given on 25 Jun 2024", "First answers, given on 20 Jun 2024"]);

  const current = screen.getByRole("heading", { name: "Current answers, given on 25 Jun 2024" }).closest("li")!;
  const first = screen.getByRole("heading", { name: "First answers, given on 20 Jun 2024" }).closest("li")!;
  expect(versions).toContain(current);
  const answerTo = (version: HTMLElement, n: number) =>
    within(version)
      .getByText(`${n}. ${titles[n - 1]}`, { exact: false })
      .querySelector(".tag")?.textContent;
  expect(answerTo(current, 1)).toBe("Signed");
  expect(answerTo(current, 4)).toBe("Declined");
  expect(within(current).getByText("No statement.")).toBeTruthy();
  expect(answerTo(first, 1)).toBe("Signed");
  expect(answerTo(first, 2)).toBe("Not answered yet");
  expect(answerTo(first, 3)).toBe("Declined");
  expect(within(first).getByText("Only point 1 for now.")).toBeTruthy();
  expect(within(first).getByText("Recorded by the campaign")).toBeTruthy();
  expect(within(first).getByRole("link", { name: "See the evidence" }).getAttribute("href")).toBe(
    "https://example.org/evidence/2024-06-20T10:00:00Z",
  );
});

test("an answer given to a point's earlier words shows those words and says the campaign changed them after", async () => {
  const titles = ["Point one.", "Point two."];
  const settings = buildCampaignSettings({ points: titles.map((title) => ({ title, body: `What ${title} means.` })) });
  await insertCampaign(settings);
  const candidate = await insertCandidacy({ name: "Ruth Adeyemi" });
  await record(candidate.personId, ["signed", "declined"], null, "2024-06-20T10:00:00Z");
  await saveCampaign({
    settings: {
      ...settings,
      points: [{ title: "Point one, reworded.", body: "What it means now." }, settings.points[1]!],
    },
    savedBy: "admin@campaign.example.org",
    confirmPointChanges: true,
    now: new Date("2024-06-22T10:00:00Z"),
  });
  await renderCandidatePage(candidate);

  const rows = screen.getAllByRole("rowheader");
  expect(rows[0]!.textContent).toContain("1. Point one, reworded.");
  expect(within(rows[0]!).getByText(/changed this point.s wording after they answered/)).toBeTruthy();
  expect(within(rows[0]!).getByText("Point one.")).toBeTruthy();
  expect(within(rows[0]!).getByText("What Point one. means.")).toBeTruthy();
  expect(rows[1]!.textContent).toBe("2. Point two.");
});

test("each change in the history shows the words it answered, and a point removed since as removed", async () => {
  const titles = ["Point one.", "Point two.", "Point three."];
  const settings = buildCampaignSettings({ points: titles.map((title) => ({ title, body: `What ${title} means.` })) });
  await saveCampaign({ settings, savedBy: "test", now: new Date("2024-06-01T10:00:00Z") });
  const candidate = await insertCandidacy({ name: "Ruth Adeyemi" });
  await record(candidate.personId, ["signed", "signed", "declined"], null, "2024-06-20T10:00:00Z");
  // The campaign rewords point 1 and removes point 3, then the candidate answers again.
  const [one, two] = (await findCampaign())!.points;
  await saveCampaign({
    settings: {
      ...settings,
      points: [
        { id: one!.id, title: "Point one, reworded.", body: "New words." },
        { id: two!.id, title: two!.title, body: two!.body },
      ],
    },
    matchPoints: "by-id",
    savedBy: "test",
    confirmPointChanges: true,
    now: new Date("2024-06-22T10:00:00Z"),
  });
  await record(candidate.personId, ["signed", "declined"], null, "2024-06-25T10:00:00Z");
  await renderCandidatePage(candidate);

  const current = screen.getByRole("heading", { name: "Current answers, given on 25 Jun 2024" }).closest("li")!;
  const first = screen.getByRole("heading", { name: "First answers, given on 20 Jun 2024" }).closest("li")!;
  const lines = (entry: HTMLElement) =>
    within(entry)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
  expect(lines(current)).toEqual(["1. Point one, reworded. Signed", "2. Point two. Declined"]);
  expect(lines(first)).toEqual([
    "1. Point one. Signed (the words answered; the campaign changed them later)",
    "2. Point two. Signed",
    "Removed point: Point three. Declined (the campaign removed this point later)",
  ]);
});
