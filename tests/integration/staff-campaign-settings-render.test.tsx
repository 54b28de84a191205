// @vitest-environment jsdom
// The campaign settings page as it renders from its real loader and action:
// the fields an admin fills, the preview, the errors and the confirmation box.
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import CampaignSettingsPage, { action, loader } from "~/routes/staff.settings_.campaign";
import { csrfField } from "~/utils/staff-form";
import { insertCampaign, insertCandidacy, insertPledgeByCampaign } from "../factories";
import { signedInStaff, staffGet, staffPost } from "../staff";

const url = "http://localhost/staff/settings/campaign";

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

async function renderPage(fields?: Record<string, string>, { drop = [] }: { drop?: string[] } = {}) {
  const admin = await signedInStaff("admin");
  const loaded = (await loader({ request: staffGet(url, admin), params: {}, context: {} })) as unknown as {
    data: { values: Record<string, string> };
  };
  const posted = fields
    ? ((await action({
        request: staffPost(url, admin, {
          ...Object.fromEntries(Object.entries(loaded.data.values).filter(([name]) => !drop.includes(name))),
          ...fields,
        }),
        params: {},
        context: {},
      })) as unknown as { data: unknown })
    : undefined;
  const Stub = createRemixStub([{ id: "page", path: "/staff/settings/campaign", Component: CampaignSettingsPage }]);
  render(
    <Stub
      initialEntries={["/staff/settings/campaign"]}
      hydrationData={{
        loaderData: { page: loaded.data },
        ...(posted ? { actionData: { page: posted.data } } : {}),
      }}
    />,
  );
  await screen.findByRole("heading", { level: 1, name: "Campaign settings" });
}

test("the form shows each setting in a labelled field, and only a Preview button until previewed", async () => {
  await insertCampaign();
  await renderPage();
  expect(screen.getByLabelText("Campaign name")).toHaveProperty("value", "Quiet Streets Pledge");
  expect(screen.getByRole("group", { name: "Point 2" })).toBeTruthy();
  expect(within(screen.getByRole("group", { name: "Point 1" })).getByLabelText("Title")).toHaveProperty(
    "value",
    "Slow the traffic outside every school.",
  );
  expect(within(screen.getByRole("group", { name: "Wording 1" })).getByLabelText("Opening")).toHaveProperty(
    "value",
    "Please sign the pledge.",
  );
  expect(screen.getByRole("button", { name: "Preview" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Save settings" })).toBeNull();
  expect(document.querySelector(`input[type="hidden"][name="${csrfField}"]`)).toBeTruthy();
});

test("a preview shows the home page text and the ask mail, carries the values, and offers Save", async () => {
  await insertCampaign();
  await renderPage({ name: "Safe Streets Pledge", intent: "preview" });
  const preview = screen.getByRole("region", { name: "Preview: nothing is saved yet" });
  expect(within(preview).getByText("Safe Streets Pledge")).toBeTruthy();
  expect(within(preview).getByText(/Will you sign the Safe Streets Pledge pledge\?/)).toBeTruthy();
  expect(within(preview).getByText(/Dear Alex Example,/)).toBeTruthy();
  expect(screen.getByLabelText("Campaign name")).toHaveProperty("value", "Safe Streets Pledge");
  expect(screen.getByRole("button", { name: "Save settings" })).toBeTruthy();
});

test("errors are summarised, linked to their fields, and the title starts Error:", async () => {
  await insertCampaign();
  await renderPage({ "points.1.title": "", intent: "save" });
  const summary = screen.getByRole("alert");
  const link = within(summary).getByRole("link", { name: "Enter the point's title" });
  expect(link.getAttribute("href")).toBe("#points.1.title");
  expect(document.title).toBe("Error: Campaign settings – Staff console");
  const field = within(screen.getByRole("group", { name: "Point 2" })).getByLabelText("Title");
  expect(field.getAttribute("aria-invalid")).toBe("true");
});

test("changing the words of an answered point asks for the box to be ticked, saying how many answered", async () => {
  await insertCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1] });
  await renderPage({ "points.0.title": "New words.", intent: "save" });
  expect(
    within(screen.getByRole("alert")).getByRole("link", {
      name: "Confirm that you understand 1 candidate answered the earlier words",
    }),
  ).toBeTruthy();
  expect(screen.getByRole("checkbox", { name: "I understand 1 candidate answered the earlier words" })).toBeTruthy();
});

test("Add another point shows an empty third point; each point has Remove and (after the first) Move up", async () => {
  await insertCampaign();
  await renderPage({ intent: "add-point" });
  const third = screen.getByRole("group", { name: "Point 3" });
  expect(within(third).getByLabelText("Title")).toHaveProperty("value", "");
  expect(screen.getByRole("button", { name: "Remove point 1" })).toBeTruthy();
  expect(screen.getByRole("button", { name: "Move up point 3" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Move up point 1" })).toBeNull();
  expect(screen.getByRole("button", { name: "Add another point" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Remove wording 1" })).toBeNull();
});

test("removing a point candidates answered says whose status changes and asks for the box to be ticked", async () => {
  await insertCampaign();
  const ruth = await insertCandidacy({ name: "Ruth Adeyemi" });
  await insertPledgeByCampaign({ personId: ruth.personId, sign: [1], decline: [2] });
  await renderPage({ intent: "preview" }, { drop: ["points.1.id", "points.1.title", "points.1.body"] });
  expect(screen.queryByRole("group", { name: "Point 2" })).toBeNull();
  expect(
    screen.getByText(
      /removing point 2 \(“Fund safe crossings\.”\) changes who has signed every point\. 1 candidate shown as “Signed some points” will show as “Signed every point”\./,
    ),
  ).toBeTruthy();
  expect(screen.getByRole("checkbox", { name: "I understand who has signed every point changes" })).toBeTruthy();
});
