// @vitest-environment jsdom
// The console's candidate pages as they render from what their real loaders
// return: what a member of staff reads and can press, found by role and name.
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { issueSigningLink, recordPledgeFromLink } from "~/models/signing-link.server";
import StaffCandidate, { loader as candidateLoader } from "~/routes/staff.candidates.$personId";
import RecordPledge, { loader as pledgeLoader } from "~/routes/staff.candidates.$personId_.pledge";
import StaffCandidates, { loader as listLoader } from "~/routes/staff.candidates._index";
import { insertCampaign, insertCandidacy, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet } from "../staff";

const base = "http://localhost";

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

async function twoCandidates() {
  const campaign = await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const ruth = await insertCandidacy({ constituency: seat, name: "Ruth Okafor", email: "ruth@example.net" });
  const tom = await insertCandidacy({ constituency: seat, name: "Tom Hale", email: null });
  return { campaign, ruth, tom };
}

/** The page's loader data, from its real loader as an organiser would get it. */
async function loaderData(loader: (args: never) => unknown, path: string, params: Record<string, string> = {}) {
  const organiser = await signedInStaff("organiser");
  const result = await settle(() =>
    (loader as (args: { request: Request; params: Record<string, string>; context: object }) => unknown)({
      request: staffGet(`${base}${path}`, organiser),
      params,
      context: {},
    }),
  );
  return (result as { data: unknown }).data;
}

async function renderPage(Component: () => React.JSX.Element, path: string, data: unknown) {
  const Stub = createRemixStub([{ id: "page", path: path.split("?")[0], Component }]);
  render(<Stub initialEntries={[path]} hydrationData={{ loaderData: { page: data } }} />);
  return screen.findByRole("heading", { level: 1 });
}

test("the list links each candidate to their console page and says whether they have an email", async () => {
  const { ruth, tom } = await twoCandidates();
  await renderPage(StaffCandidates, "/staff/candidates", await loaderData(listLoader, "/staff/candidates"));
  expect(screen.getByRole("heading", { level: 2, name: "2 candidates" })).toBeTruthy();
  const ruthLink = screen.getByRole("link", { name: ruth.name });
  expect(ruthLink.getAttribute("href")).toBe(`/staff/candidates/${ruth.personId}`);
  expect(within(ruthLink.closest("tr")!).getByText("Yes")).toBeTruthy();
  expect(within(screen.getByRole("link", { name: tom.name }).closest("tr")!).getByText("No")).toBeTruthy();
  expect(screen.getByRole("region", { name: "Candidates, by constituency" })).toBeTruthy();
  for (const name of ["Name contains", "Constituency contains"])
    expect(screen.getByRole("searchbox", { name })).toBeTruthy();
  for (const name of ["Party", "Status", "Published email"])
    expect(screen.getByRole("combobox", { name })).toBeTruthy();
});

test("a candidate with no published email has no signing-link button, and the page says why", async () => {
  const { tom } = await twoCandidates();
  const path = `/staff/candidates/${tom.personId}`;
  await renderPage(StaffCandidate, path, await loaderData(candidateLoader, path, { personId: tom.personId }));
  expect(screen.getByText("No published email")).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Send a fresh signing link" })).toBeNull();
  expect(screen.getByText(/no signing link can be sent/)).toBeTruthy();
  expect(screen.getByRole("link", { name: "Record a pledge made elsewhere" }).getAttribute("href")).toBe(
    `${path}/pledge`,
  );
});

test("a candidate with a published email has the button, in a form carrying the CSRF token", async () => {
  const { ruth } = await twoCandidates();
  const path = `/staff/candidates/${ruth.personId}`;
  await renderPage(StaffCandidate, path, await loaderData(candidateLoader, path, { personId: ruth.personId }));
  expect(screen.getByText("ruth@example.net")).toBeTruthy();
  const button = screen.getByRole("button", { name: "Send a fresh signing link" });
  expect(button.closest("form")!.querySelector<HTMLInputElement>('input[name="csrf"]')!.value).not.toBe("");
});

test("the pledge form asks Signed, Declined or Not answered for each point, with evidence and a note", async () => {
  const { campaign, tom } = await twoCandidates();
  const path = `/staff/candidates/${tom.personId}/pledge`;
  await renderPage(RecordPledge, path, await loaderData(pledgeLoader, path, { personId: tom.personId }));
  for (const [i, point] of campaign.points.entries()) {
    const group = screen.getByRole("group", { name: `${i + 1}. ${point.title}` });
    for (const name of ["Signed", "Declined", "Not answered yet"])
      expect(within(group).getByRole("radio", { name })).toBeTruthy();
  }
  expect(screen.getByRole("textbox", { name: "Evidence: web address" })).toBeTruthy();
  expect(screen.getByRole("textbox", { name: "Note" })).toBeTruthy();
  expect(screen.getByText(/To withdraw it, choose “Not answered yet” on every point/)).toBeTruthy();
  const submit = screen.getByRole("button", { name: "Record the pledge" });
  expect(submit.closest("form")!.querySelector<HTMLInputElement>('input[name="csrf"]')!.value).not.toBe("");
});

test("for a candidate who signed through their own link, the pledge form is replaced by why", async () => {
  const { campaign, ruth } = await twoCandidates();
  const link = (await issueSigningLink({ candidacyId: ruth.id, now: new Date() }))!;
  await recordPledgeFromLink({
    token: link.url.split("/pledge/sign/")[1]!,
    answers: { [campaign.points[0]!.id]: "signed" },
    statement: null,
    now: new Date(),
  });
  const path = `/staff/candidates/${ruth.personId}/pledge`;
  await renderPage(RecordPledge, path, await loaderData(pledgeLoader, path, { personId: ruth.personId }));
  expect(screen.getByRole("status").textContent).toMatch(/the campaign cannot record answers over them/);
  expect(screen.queryByRole("button", { name: "Record the pledge" })).toBeNull();
});
