// @vitest-environment jsdom
// Where a candidate's email came from, as the console and the public candidate
// page render it from their real loaders, and the console's form to add or
// correct it, found by role and name.
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { setCandidateEmail } from "~/models/candidate-contact.server";
import CandidatePage, { loader as publicLoader } from "~/routes/candidates.$personId";
import StaffCandidate, { loader as candidateLoader } from "~/routes/staff.candidates.$personId";
import { csrfField } from "~/utils/staff-form";
import { insertCampaign, insertCandidacy, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet } from "../staff";

const base = "http://localhost";
const published = "https://tomhale.example.org/contact";

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

/** Tom Hale, whose address an organiser found on his own site on 2 Dec 2026. */
async function tomWithStaffAddedEmail() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const tom = await insertCandidacy({ constituency: seat, name: "Tom Hale", email: null });
  const organiser = await signedInStaff("organiser");
  const saved = await setCandidateEmail({
    candidacyId: tom.id,
    email: "tom@tomhale.example.org",
    sourceUrl: published,
    account: organiser.account,
    now: new Date("2026-12-02T10:00:00.000Z"),
  });
  expect(saved.status).toBe("saved");
  return { tom, organiser };
}

async function renderStaffPage({
  personId,
  session,
  actionData,
}: {
  personId: string;
  session: { cookie: string };
  actionData?: unknown;
}) {
  const path = `/staff/candidates/${personId}`;
  const result = await settle(async () =>
    candidateLoader({ request: staffGet(`${base}${path}`, session), params: { personId }, context: {} }),
  );
  const Stub = createRemixStub([{ id: "page", path, Component: StaffCandidate }]);
  render(
    <Stub
      initialEntries={[path]}
      hydrationData={{
        loaderData: { page: (result as { data: unknown }).data },
        ...(actionData ? { actionData: { page: actionData } } : {}),
      }}
    />,
  );
  await screen.findByRole("heading", { level: 1 });
}

test("the console says who added the address, when, and where it is published, with the form to correct it", async () => {
  const { tom, organiser } = await tomWithStaffAddedEmail();
  await renderStaffPage({ personId: tom.personId, session: organiser });

  const contact = screen.getByRole("region", { name: "Contact details" });
  expect(within(contact).getByText("tom@tomhale.example.org")).toBeTruthy();
  expect(within(contact).getByText(`Added by ${organiser.account.email} on 2 Dec 2026`, { exact: false })).toBeTruthy();
  expect(within(contact).getByRole("link", { name: published }).getAttribute("href")).toBe(published);
  expect(within(contact).getByRole("textbox", { name: "Email address" }).getAttribute("type")).toBe("email");
  expect(within(contact).getByRole("textbox", { name: /Where is it published\?/ })).toBeTruthy();
  for (const name of ["Save the email address", "Remove the email address"]) {
    const form = within(contact).getByRole("button", { name }).closest("form")!;
    expect(form.getAttribute("method")).toBe("post");
    expect(form.querySelector<HTMLInputElement>(`input[name="${csrfField}"]`)?.value).toBe(organiser.csrfToken);
  }
  // The staff-added address counts as published: a signing link can go to it.
  expect(screen.getByRole("button", { name: "Send a fresh signing link" })).toBeTruthy();
});

test("a refused form shows the error summary linking to each field, and keeps what was typed", async () => {
  const { tom, organiser } = await tomWithStaffAddedEmail();
  await renderStaffPage({
    personId: tom.personId,
    session: organiser,
    actionData: {
      form: "set-email",
      errors: { email: "Enter an email address in the correct format, like name@example.com" },
      values: { email: "tom at tomhale", sourceUrl: published },
    },
  });

  const summary = screen.getByRole("alert");
  expect(
    within(summary)
      .getByRole("link", { name: /Enter an email address/ })
      .getAttribute("href"),
  ).toBe("#email");
  const field = screen.getByRole("textbox", { name: "Email address" }) as HTMLInputElement;
  expect(field.value).toBe("tom at tomhale");
  expect(field.getAttribute("aria-invalid")).toBe("true");
  expect(document.title).toMatch(/^Error: Tom Hale/);
});

test("the public page says where the address is published and that the campaign added it, not who", async () => {
  const { tom, organiser } = await tomWithStaffAddedEmail();
  const Stub = createRemixStub([
    {
      path: "/candidates/:personId",
      Component: CandidatePage,
      loader: async ({ params, request }) => publicLoader({ params, request, context: {} }),
    },
  ]);
  render(<Stub initialEntries={[`/candidates/${tom.personId}`]} />);
  await screen.findByRole("heading", { level: 1, name: "Tom Hale" });

  const section = screen.getByRole("region", { name: "Are you Tom Hale?" });
  expect(within(section).getByText(/added by the campaign on 2 Dec 2026\./)).toBeTruthy();
  expect(within(section).getByRole("link", { name: published }).getAttribute("href")).toBe(published);
  expect(document.body.textContent).not.toContain(organiser.account.email);
  expect(document.body.textContent).not.toContain("tom@tomhale.example.org");
});
