// @vitest-environment jsdom
// The staff dashboard as a member of staff opens it: the figures the real
// loader reads, rendered by the real page, and the pause switch refusing any
// post that is not a signed-in organiser's own.
import { writeTransaction } from "#db/index";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { outbox, sendingPause } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { pauseSending } from "~/models/sending-pause.server";
import Dashboard, { action as dashboardAction, loader as dashboardLoader } from "~/routes/staff._index";
import { db } from "~/utils/db.server";
import {
  buildAsk,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertPledgeByCampaign,
} from "../factories";
import { outboxRows } from "../db";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";
import { DAY, HOUR } from "../time";

const base = "http://localhost";
// 11:00 in London (BST), so "today" began at 23:00 UTC on the 19th.
const now = new Date("2024-06-20T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now });
});

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

async function dashboardDataFor(session?: { cookie: string }) {
  const result = await dashboardLoader({ request: staffGet(`${base}/staff`, session), params: {}, context: {} });
  return result.data;
}

async function renderDashboard(session: { cookie: string }) {
  const loaderData = await dashboardDataFor(session);
  const Stub = createRemixStub([{ id: "dashboard", path: "/staff", Component: Dashboard }]);
  render(<Stub initialEntries={["/staff"]} hydrationData={{ loaderData: { dashboard: loaderData } }} />);
  await screen.findByRole("heading", { level: 1, name: "Dashboard" });
}

/** The value shown for a term in a section's figures. */
function figure(section: string, term: string) {
  const dt = within(screen.getByRole("region", { name: section })).getByText(term, { selector: "dt" });
  return dt.nextElementSibling?.textContent;
}

function cellsOf(row: HTMLElement) {
  return [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent);
}

/** An English and a Welsh seat with a candidate each; asks, answers and mail as on a busy morning. */
async function aBusyMorning() {
  await insertCampaign();
  const brackenby = await insertConstituency({ name: "Brackenby Vale" });
  const glynmawr = await insertConstituency({ name: "Glynmawr", nation: "Wales", gssCode: "W07009901" });
  const ruth = await insertCandidacy({ constituency: brackenby });
  const sian = await insertCandidacy({ constituency: glynmawr });
  const toRuth = { constituencyCode: brackenby.gssCode, candidacyIds: [ruth.id] };
  await insertConfirmedAsk({ ...toRuth, now: ago(HOUR) });
  await insertConfirmedAsk({ ...toRuth, now: ago(2 * HOUR) });
  await insertConfirmedAsk({ constituencyCode: glynmawr.gssCode, candidacyIds: [sian.id], now: ago(3 * DAY) });
  // Started today, not confirmed.
  await submitAsk({
    ask: buildAsk({ ...toRuth, email: "waiting@example.org" }),
    clientIp: "198.51.100.9",
    now: ago(HOUR),
  });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1, 2], now: ago(DAY) });
  await insertPledgeByCampaign({ personId: sian.personId, decline: [1, 2], now: ago(DAY) });
  const [held, failed] = await outboxRows("ask-confirmation");
  await writeTransaction(db, () => db.update(outbox).set({ status: "held" }).where(eq(outbox.id, held!.id)));
  await writeTransaction(db, () => db.update(outbox).set({ status: "failed" }).where(eq(outbox.id, failed!.id)));
}

test("a viewer sees today's, this week's and all asks, with the confirmation rate", async () => {
  await aBusyMorning();
  await renderDashboard(await signedInStaff("viewer"));
  expect(figure("Asks", "Started today")).toBe("3");
  expect(figure("Asks", "Started this week")).toBe("4");
  expect(figure("Asks", "Started in all")).toBe("4");
  expect(figure("Asks", "Confirmed today")).toBe("2");
  expect(figure("Asks", "Confirmed this week")).toBe("3");
  expect(figure("Asks", "Confirmed in all")).toBe("3");
  expect(figure("Asks", "Confirmation rate")).toBe("75%");
});

test("mail is counted by status, and held and failed mail is marked as needing attention", async () => {
  await aBusyMorning();
  await renderDashboard(await signedInStaff("viewer"));
  expect(figure("Mail", "Held for review")).toBe("1 Needs attention");
  expect(figure("Mail", "Failed")).toBe("1 Needs attention");
  expect(figure("Mail", "Cancelled")).toBe("0");
  expect(figure("Mail", "Sent")).toBe("0");
  // A viewer cannot open the outbox, so is not offered the link.
  expect(screen.queryByRole("link", { name: "Open the outbox" })).toBeNull();
});

test("an organiser is linked to the outbox", async () => {
  await renderDashboard(await signedInStaff("organiser"));
  expect(screen.getByRole("link", { name: "Open the outbox" }).getAttribute("href")).toBe("/staff/outbox");
  // Nothing needs attention when nothing is held or has failed.
  expect(screen.queryByText("Needs attention")).toBeNull();
});

test("candidates are counted by nation under the board's names for the statuses", async () => {
  await aBusyMorning();
  await renderDashboard(await signedInStaff("viewer"));
  const table = screen.getByRole("table", { name: "Candidates by nation" });
  const rows = within(table).getAllByRole("row").map(cellsOf);
  expect(rows).toEqual([
    ["Nation", "Standing", "Signed every point", "Signed some points", "Declined", "No answer yet"],
    ["England", "1", "1", "0", "0", "0"],
    ["Wales", "1", "0", "0", "1", "0"],
  ]);
});

test("the constituencies with most confirmed asks are listed in order, linked to their public pages", async () => {
  await aBusyMorning();
  await renderDashboard(await signedInStaff("viewer"));
  const list = within(screen.getByRole("region", { name: "Constituencies with most asks" })).getByRole("list");
  const items = within(list).getAllByRole("listitem");
  expect(items.map((item) => item.textContent)).toEqual([
    "Brackenby Vale: 2 confirmed asks",
    "Glynmawr: 1 confirmed ask",
  ]);
  expect(within(items[0]!).getByRole("link").getAttribute("href")).toBe("/constituencies/brackenby-vale");
});

test("the chart of confirmed asks and signatures per day comes with its figures as a table", async () => {
  await aBusyMorning();
  await renderDashboard(await signedInStaff("viewer"));
  screen.getByRole("heading", { level: 2, name: "Confirmed asks and signatures per day" });
  screen.getByRole("img", { name: /Confirmed asks and candidates who signed, per day/ });
  const table = screen.getByRole("table", { name: "Confirmed asks and signatures per day" });
  expect(within(table).getAllByRole("row").map(cellsOf).slice(-2)).toEqual([
    ["19 Jun 2024", "0", "1"],
    ["20 Jun 2024", "2", "0"],
  ]);
});

test("before anything has happened the dashboard says so rather than show empty tables", async () => {
  await renderDashboard(await signedInStaff("viewer"));
  expect(figure("Asks", "Started today")).toBe("0");
  expect(figure("Asks", "Confirmation rate")).toBe("None yet");
  screen.getByText("No candidates are standing yet.");
  screen.getByText("No asks have been confirmed yet.");
  screen.getByText("No confirmed asks or signatures yet.");
});

test("a signed-out visitor is sent to sign in and shown no figures", async () => {
  await aBusyMorning();
  const response = (await settle(() => dashboardDataFor())) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff");
});

test("a pause posted without the session's token, with another's, or from another origin is refused", async () => {
  const organiser = await signedInStaff("organiser");
  const someoneElse = await signedInStaff("organiser");
  const forged = [
    staffPost(`${base}/staff`, organiser, { intent: "pause", reason: "forged" }, { csrf: null }),
    staffPost(`${base}/staff`, organiser, { intent: "pause", reason: "forged" }, { csrf: someoneElse.csrfToken }),
    staffPost(`${base}/staff`, organiser, { intent: "pause", reason: "forged" }, { origin: "https://evil.example" }),
  ];
  for (const request of forged) {
    const response = (await settle(() => dashboardAction({ request, params: {}, context: {} }))) as Response;
    expect(response.status).toBe(403);
  }
  const signedOut = staffPost(`${base}/staff`, undefined, { intent: "pause", reason: "forged" });
  const response = (await settle(() => dashboardAction({ request: signedOut, params: {}, context: {} }))) as Response;
  expect(response.headers.get("Location")).toMatch(/^\/staff\/sign-in/);
  expect(await db.select().from(sendingPause)).toEqual([]);
});

test("a forged resume leaves sending paused", async () => {
  const organiser = await signedInStaff("organiser");
  await pauseSending({ actor: organiser.account.email, accountId: organiser.account.id, reason: "bad wording", now });
  const forged = staffPost(`${base}/staff`, organiser, { intent: "resume" }, { csrf: "a".repeat(43) });
  const response = (await settle(() => dashboardAction({ request: forged, params: {}, context: {} }))) as Response;
  expect(response.status).toBe(403);
  expect(await db.select().from(sendingPause)).toHaveLength(1);
});

test("a viewer's own pause post, token and all, is refused", async () => {
  const viewer = await signedInStaff("viewer");
  const request = staffPost(`${base}/staff`, viewer, { intent: "pause" });
  const response = (await settle(() => dashboardAction({ request, params: {}, context: {} }))) as Response;
  expect(response.status).toBe(403);
  expect(await db.select().from(sendingPause)).toEqual([]);
});
