// @vitest-environment jsdom
// The staff console's outbox, audit log and supporters pages as they render
// from what their real loaders return: what a member of staff reads and can
// press, found by role and name as a screen reader would.
import { writeTransaction } from "#db/index";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { supporterExports } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import StaffAudit, { loader as auditLoader } from "~/routes/staff.audit";
import StaffOutboxMessage, { loader as messageLoader } from "~/routes/staff.outbox.$id";
import StaffOutbox, { loader as outboxLoader } from "~/routes/staff.outbox._index";
import StaffSupporters, { loader as supportersLoader } from "~/routes/staff.supporters";
import { db } from "~/utils/db.server";
import { insertFailedMail, insertQueuedMail } from "../factories";
import { settle, signedInStaff, staffGet } from "../staff";
import { MINUTE } from "../time";

const base = "http://localhost";
const start = new Date("2024-06-10T12:00:00.000Z");

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

const ruthMail = {
  kind: "candidate-ask",
  toAddress: "ruth@candidates.example.org",
  subject: "A constituent asks you to sign",
  textBody: "Dear Ruth,\n\nPlease sign.\n",
  now: start,
} as const;

async function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
  return insertQueuedMail({ ...ruthMail, ...overrides });
}

/** The page's loader data, from its real loader as the member of staff would get it. */
async function loaderData(loader: (args: never) => unknown, path: string, params: Record<string, string> = {}) {
  const admin = await signedInStaff("admin");
  const result = await settle(() =>
    (loader as (args: { request: Request; params: Record<string, string>; context: object }) => unknown)({
      request: staffGet(`${base}${path}`, admin),
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

test("the outbox lists mail with a link to each message, its kind and status in words, and pages", async () => {
  const failed = await insertFailedMail({ ...ruthMail, subject: "Bounced ask" });
  for (let i = 0; i < 55; i++)
    await queueMail({ now: new Date(start.getTime() + (i + 1) * MINUTE), subject: `Ask ${i}` });

  const data = await loaderData(outboxLoader, "/staff/outbox?page=2");
  await renderPage(StaffOutbox, "/staff/outbox?page=2", data);
  expect(screen.getByRole("heading", { level: 2, name: "56 messages, page 2 of 2" })).toBeTruthy();
  const row = screen.getByRole("link", { name: "Bounced ask" }).closest("tr")!;
  expect(screen.getByRole("link", { name: "Bounced ask" }).getAttribute("href")).toBe(`/staff/outbox/${failed}`);
  expect(within(row).getByText("Candidate: a supporter's ask")).toBeTruthy();
  expect(within(row).getByText("Failed")).toBeTruthy();
  expect(screen.getByText("Page 2 of 2")).toBeTruthy();
  // On the first page of the list, its address without ?page=1.
  expect(screen.getByRole("link", { name: /^Previous/ }).getAttribute("href")).toBe("/staff/outbox");
  expect(screen.getByRole("combobox", { name: "Status" })).toBeTruthy();
  expect(screen.getByRole("combobox", { name: "Kind of mail" })).toBeTruthy();
  expect(screen.getByRole("searchbox", { name: "To (email or name contains)" })).toBeTruthy();
});

test("a failed message offers Retry, a queued one Cancel, each in a form carrying the CSRF token", async () => {
  const failed = await insertFailedMail(ruthMail);
  const queued = await queueMail();

  await renderPage(
    StaffOutboxMessage,
    `/staff/outbox/${failed}`,
    await loaderData(messageLoader, `/staff/outbox/${failed}?done=retried`, { id: String(failed) }),
  );
  expect(screen.getByRole("heading", { level: 1, name: "A constituent asks you to sign" })).toBeTruthy();
  expect(screen.getByText("550 No such user")).toBeTruthy();
  expect(screen.getByRole("status").textContent).toMatch(/back in the queue/);
  const retry = screen.getByRole("button", { name: "Retry" });
  expect(retry.closest("form")!.querySelector<HTMLInputElement>('input[name="csrf"]')!.value).not.toBe("");
  expect(screen.queryByRole("button", { name: "Cancel this message" })).toBeNull();
  cleanup();

  await renderPage(
    StaffOutboxMessage,
    `/staff/outbox/${queued}`,
    await loaderData(messageLoader, `/staff/outbox/${queued}`, { id: String(queued) }),
  );
  expect(screen.getByRole("button", { name: "Cancel this message" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  expect(screen.queryByRole("status")).toBeNull();
});

test("the audit log shows a bad date as a GOV.UK error, on the field it is about", async () => {
  await recordAudit({
    actor: "kit@campaign.example",
    action: "outbox.cancel",
    subject: "outbox:8",
    details: {},
    now: start,
  });
  const data = await loaderData(auditLoader, "/staff/audit?from=2024-02-30");
  await renderPage(StaffAudit, "/staff/audit?from=2024-02-30", data);
  const summary = screen.getByRole("alert");
  expect(
    within(summary)
      .getByRole("link", { name: /‘from’ date must be a real date/ })
      .getAttribute("href"),
  ).toBe("#from");
  const from = screen.getByLabelText("From");
  expect(from.getAttribute("aria-invalid")).toBe("true");
  // As typed, for a browser without a date picker (one with a picker never sends a day that is not real).
  expect(from.getAttribute("value")).toBe("2024-02-30");
  expect(screen.queryByRole("table")).toBeNull();
});

test("the audit log lists who did what, with groups of actions to filter by", async () => {
  await recordAudit({
    actor: "kit@campaign.example",
    action: "outbox.cancel",
    subject: "outbox:8",
    details: { kind: "candidate-ask", from: "queued" },
    now: start,
  });
  await renderPage(StaffAudit, "/staff/audit", await loaderData(auditLoader, "/staff/audit?action=outbox."));
  const subject = screen.getByRole("link", { name: "outbox:8" });
  expect(subject.getAttribute("href")).toBe("/staff/outbox/8");
  const row = subject.closest("tr")!;
  expect(within(row).getByText("kind: candidate-ask, from: queued")).toBeTruthy();
  expect(within(row).getByText("10 Jun 2024, 13:00")).toBeTruthy();
  expect(
    within(screen.getByRole("combobox", { name: "Action" })).getByRole("option", { name: "All outbox actions" }),
  ).toBeTruthy();
  expect(within(screen.getByRole("combobox", { name: "Person" })).getByRole("option", { name: "Anyone" })).toBeTruthy();
});

test("the supporters page offers all or only new supporters once there has been a download", async () => {
  await renderPage(StaffSupporters, "/staff/supporters", await loaderData(supportersLoader, "/staff/supporters"));
  // Before any download there is nothing to choose: "new" would be everyone.
  expect(screen.queryByRole("radio")).toBeNull();
  expect(screen.getByRole("button", { name: "Download CSV" })).toBeTruthy();
  cleanup();

  await writeTransaction(db, () =>
    db.insert(supporterExports).values({ scope: "all", rows: 0, upTo: null, createdAt: start.toISOString() }),
  );
  await renderPage(StaffSupporters, "/staff/supporters", await loaderData(supportersLoader, "/staff/supporters"));
  expect(screen.getByRole("radio", { name: /All supporters who opted in/ })).toBeTruthy();
  // Posted by the browser itself to the file's own address, so what comes back is saved, not shown.
  const form = screen.getByRole("button", { name: "Download CSV" }).closest("form")!;
  expect(form.getAttribute("action")).toBe("/staff/supporters.csv");
  expect(form.getAttribute("method")).toBe("post");
  expect(screen.getByRole("radio", { name: "Only those new since the last export (10 Jun 2024, 13:00)" })).toBeTruthy();
});

test("a download without a choice comes back to the form with a GOV.UK error", async () => {
  await writeTransaction(db, () =>
    db.insert(supporterExports).values({ scope: "all", rows: 0, upTo: null, createdAt: start.toISOString() }),
  );
  await renderPage(
    StaffSupporters,
    "/staff/supporters?error=scope",
    await loaderData(supportersLoader, "/staff/supporters?error=scope"),
  );
  const summary = screen.getByRole("alert");
  expect(within(summary).getByRole("link", { name: "Select which supporters to download" }).getAttribute("href")).toBe(
    "#scope",
  );
  expect(document.querySelector("title")?.textContent).toBe("Error: Download supporters – Staff console");
  expect(screen.getByRole("radio", { name: /All supporters who opted in/ }).id).toBe("scope");
});
