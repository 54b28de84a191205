// @vitest-environment jsdom
// The staff import page as it renders a dry run: the plan as tables, bounded
// for a whole election's file, the withdrawals to confirm, and the history.
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import type { Change } from "~/importers/plan";
import { summariseImport } from "~/importers/upload.server";
import Imports from "~/routes/staff.imports";

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

async function renderWith(actionData: unknown) {
  const Stub = createRemixStub([{ id: "page", path: "/staff/imports", Component: Imports, action: () => null }]);
  render(
    <Stub
      initialEntries={["/staff/imports"]}
      hydrationData={{
        loaderData: { page: { csrfToken: "token", history: [] } },
        actionData: { page: actionData },
      }}
    />,
  );
  return screen.findByRole("heading", { level: 1, name: "Imports" });
}

test("a dry run shows each kind of change as a table, at most 200 rows, before and after for updates", async () => {
  await renderWith({ stage: "checked", errors: {}, upload: { sha256, fileName: "june.csv" }, summary: bigDryRun() });

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
  // The second press names the file that was checked.
  const sha = document.querySelector<HTMLInputElement>('input[name="sha256"]');
  expect(sha?.value).toBe(sha256);
});

test("a bad file's problems are listed by file, line and column, with the error summary", async () => {
  await renderWith({
    stage: "problems",
    errors: { file: "bad.csv has 1 problem; nothing was imported" },
    kind: "",
    fileName: "bad.csv",
    total: 1,
    problems: [{ file: "bad.csv", line: 3, column: "person_id", message: "must be a number" }],
  });

  expect(document.title).toBe("Error: Imports – Staff console");
  expect(screen.getByRole("link", { name: "bad.csv has 1 problem; nothing was imported" })).toBeTruthy();
  const row = within(screen.getByRole("table", { name: "Problems in bad.csv (1)" })).getAllByRole("row")[1]!;
  expect(
    within(row)
      .getAllByRole("cell")
      .map((c) => c.textContent),
  ).toEqual(["bad.csv", "3", "person_id", "must be a number"]);
  expect(screen.getByText("The database is unchanged. Correct the file and check it again.")).toBeTruthy();
});
