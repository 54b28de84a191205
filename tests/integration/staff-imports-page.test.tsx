// @vitest-environment jsdom
// An import job's page as it renders: progress while it runs (refreshing
// itself without JavaScript), then the dry run's plan as tables, bounded for a
// whole election's file, with the withdrawals to confirm, or the problems.
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { afterEach, expect, test } from "vitest";
import type { Change } from "~/importers/plan";
import { summariseImport } from "~/importers/upload.server";
import ImportJob from "~/routes/staff.imports_.$jobId";

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

const sha256 = "ab".repeat(32);

function added(i: number): Change {
  return { type: "added", entity: "candidacy", key: String(900_000 + i), label: `Candidate ${i} (Harbury Cross)` };
}

/** A dry run of a big candidates file: 250 added, one renamed, one withdrawn. */
function bigDryRun() {
  const changes: Change[] = [
    ...Array.from({ length: 250 }, (_, i) => added(i)),
    {
      type: "updated",
      entity: "candidacy",
      key: "900900",
      label: "Ada Quennell-Price (Harbury Cross)",
      details: ['name: "Ada Quennell" → "Ada Quennell-Price"'],
    },
    {
      type: "withdrawn",
      entity: "candidacy",
      key: "900901",
      label: "Bryn Tolley (Harbury Cross)",
      withdrawal: {
        personId: "900901",
        name: "Bryn Tolley",
        partyName: "Labour Party",
        constituencyName: "Harbury Cross",
      },
    },
  ];
  return summariseImport({
    result: {
      kind: "dc-candidates",
      file: "june.csv",
      sha256,
      dryRun: true,
      rows: 4_515,
      added: 250,
      updated: 1,
      withdrawn: 1,
      removed: 0,
      unchanged: 4_263,
      changes,
    },
  });
}

function job(overrides: Record<string, unknown>) {
  return {
    id: 7,
    action: "check",
    status: "done",
    fileName: "june.csv",
    sha256,
    kind: null,
    startedBy: "organiser@campaign.example",
    startedAt: "10 June 2024, 10:00",
    error: null,
    result: null,
    progress: null,
    ...overrides,
  };
}

function stub(pageJob: Record<string, unknown>) {
  const Stub = createRemixStub([
    { id: "page", path: "/staff/imports/:jobId", Component: ImportJob, action: () => null },
  ]);
  return (
    <Stub
      initialEntries={["/staff/imports/7"]}
      hydrationData={{ loaderData: { page: { csrfToken: "token", job: job(pageJob) } } }}
    />
  );
}

async function renderWith(pageJob: Record<string, unknown>, heading: string) {
  render(stub(pageJob));
  return screen.findByRole("heading", { level: 1, name: heading });
}

test("while it runs, the page shows how many rows are checked, as text and a progress bar, and refreshes itself", async () => {
  const running = { status: "running", progress: { phase: "checking", rows: 4515, done: 2300 } };
  await renderWith(running, "Checking june.csv");

  expect(within(screen.getByRole("status")).getByText("Checking the file: 2,300 of 4,515 rows")).toBeTruthy();
  const bar = screen.getByRole("progressbar", { name: "Checking the file: 2,300 of 4,515 rows" });
  expect([bar.getAttribute("value"), bar.getAttribute("max")]).toEqual(["2300", "4515"]);
  // The server's HTML reloads itself only without JavaScript; with it, the page revalidates in place.
  expect(renderToString(stub(running))).toContain('<noscript><meta http-equiv="refresh" content="2"/></noscript>');
  expect(screen.getByRole("link", { name: "Refresh now" }).getAttribute("href")).toBe("/staff/imports/7");
  expect(screen.queryByRole("button", { name: "Import this file" })).toBeNull();
});

test("a dry run shows each kind of change as a table, at most 200 rows, before and after for updates", async () => {
  await renderWith({ result: { outcome: "checked", summary: bigDryRun() } }, "What importing june.csv would change");

  expect(renderToString(stub({ result: { outcome: "checked", summary: bigDryRun() } }))).not.toContain("refresh");
  const addedTable = screen.getByRole("table", { name: "Added (250)" });
  expect(within(addedTable).getAllByRole("row")).toHaveLength(201);
  expect(screen.getByText(/…and 50 more/)).toBeTruthy();
  const updated = screen.getByRole("table", { name: "Updated (1)" });
  expect(within(updated).getByText('name: "Ada Quennell" → "Ada Quennell-Price"')).toBeTruthy();
  const withdrawn = screen.getByRole("table", { name: "Withdrawn (1)" });
  expect(within(withdrawn).getByText("Bryn Tolley")).toBeTruthy();
  expect(screen.getByText("Unchanged: 4263")).toBeTruthy();
  expect(screen.getByRole("checkbox", { name: "I confirm this 1 withdrawal" })).toBeTruthy();
  expect(screen.getByRole("button", { name: "Import this file" })).toBeTruthy();
  expect(screen.getByRole("button", { name: "Discard this file" })).toBeTruthy();
  // The second press names no file: the job knows which it checked.
  expect(document.querySelector('input[name="sha256"]')).toBeNull();
});

test("a bad file's problems are listed by file, line and column, with the error summary", async () => {
  await renderWith(
    {
      fileName: "bad.csv",
      result: {
        outcome: "problems",
        total: 1,
        problems: [{ file: "bad.csv", line: 3, column: "person_id", message: "must be a number" }],
      },
    },
    "bad.csv was not imported",
  );

  expect(document.title).toBe("Error: bad.csv was not imported – Imports – Staff console");
  expect(screen.getByRole("link", { name: "bad.csv has 1 problem; nothing was imported" })).toBeTruthy();
  const row = within(screen.getByRole("table", { name: "Problems in bad.csv (1)" })).getAllByRole("row")[1]!;
  expect(
    within(row)
      .getAllByRole("cell")
      .map((c) => c.textContent),
  ).toEqual(["bad.csv", "3", "person_id", "must be a number"]);
  expect(screen.getByText(/The database is unchanged/).textContent).toBe(
    "The database is unchanged. Correct the file and check it again.",
  );
});

test("a job whose server stopped says nothing was written", async () => {
  await renderWith({ action: "apply", status: "interrupted" }, "june.csv was not imported");

  expect(screen.getByText(/The server stopped while this ran, so nothing was written/)).toBeTruthy();
});
