// @vitest-environment jsdom
// The privacy notice as it renders from its real loader and the saved
// settings, and the links to it: in every page's footer and beside the
// consents on the ask form.
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { Layout, loader as rootLoader } from "~/root";
import AskPage, { loader as askLoader } from "~/routes/constituencies.$slug_.ask";
import Privacy, { headers, loader } from "~/routes/privacy";
import { publicCacheControl } from "~/utils/http-cache";
import { pageQueryParams } from "~/utils/page-query";
import { insertCampaign, insertCandidacy, insertConstituency } from "../factories";

afterEach(() => {
  cleanup();
  document.head.innerHTML = "";
});

const contacts = {
  controllerName: "Brackenby Community Trust",
  controllerAddress: "4 Mill Lane\nBrackenby\nZZ4 1AA",
  controllerEmail: "data@brackenby.example",
  dpoName: "Priya Shah",
  dpoEmail: "dpo@brackenby.example",
};

async function renderNotice() {
  const Stub = createRemixStub([{ path: "/privacy", Component: Privacy, loader: async () => await loader() }]);
  render(<Stub initialEntries={["/privacy"]} />);
  await screen.findByRole("heading", { level: 1, name: "Privacy notice" });
}

function section(name: string) {
  const heading = screen.getByRole("heading", { level: 2, name });
  const parts: string[] = [];
  for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling)
    parts.push(node.textContent ?? "");
  return parts.join(" ").replace(/\s+/g, " ");
}

test("the notice names the saved controller, their address and email, and the DPO", async () => {
  await insertCampaign({ privacy: contacts });
  await renderNotice();
  const whoWeAre = section("Who we are");
  expect(whoWeAre).toContain("Brackenby Community Trust is the data controller");
  expect(whoWeAre).toContain("4 Mill Lane");
  expect(whoWeAre).toContain("Our Data Protection Officer is Priya Shah. Email them at dpo@brackenby.example.");
  expect(screen.getAllByRole("link", { name: "data@brackenby.example" })[0]!.getAttribute("href")).toBe(
    "mailto:data@brackenby.example",
  );
  expect(screen.getByRole("link", { name: "dpo@brackenby.example" }).getAttribute("href")).toBe(
    "mailto:dpo@brackenby.example",
  );
});

test("the retention periods are the saved ones, in words, counted from polling day", async () => {
  await insertCampaign({
    privacy: contacts,
    retention: { askDaysAfterPollingDay: 30, clientDataHours: 48, mailboxDays: 3 },
  });
  await renderNotice();
  const howLong = section("How long we keep it");
  expect(howLong).toContain("30 days after polling day (4 July 2024), so until 3 August 2024");
  expect(howLong).toContain("The hashed internet address: 48 hours after your ask");
  expect(howLong).toContain("deleted after 3 days");
  expect(howLong).toContain("An ask you never confirm is deleted after 7 days");
});

test("with no privacy settings saved, the campaign is the controller at its sender address, and the default periods apply", async () => {
  await insertCampaign();
  await renderNotice();
  expect(section("Who we are")).toContain("Quiet Streets Pledge is the data controller");
  expect(screen.getAllByRole("link", { name: "streets@example.org" }).length).toBeGreaterThan(0);
  expect(screen.queryByText(/Data Protection Officer/)).toBeNull();
  const howLong = section("How long we keep it");
  expect(howLong).toContain("90 days after polling day (4 July 2024), so until 2 October 2024");
  expect(howLong).toContain("24 hours after your ask");
  expect(howLong).toContain("deleted after 7 days");
});

test("the notice states the lawful bases, who receives what, the rights and how to complain to the ICO", async () => {
  await insertCampaign({ privacy: contacts });
  await renderNotice();
  expect(section("Our lawful basis")).toContain("explicit consent (UK GDPR Article 9(2)(a)");
  expect(section("Who receives your information")).toContain(
    "The candidates you choose to write to receive your name, email address, postcode and message",
  );
  expect(section("Who receives your information")).toContain("Our email provider");
  expect(section("Your rights")).toContain("“manage my data” link");
  const complaints = section("How to complain");
  expect(complaints).toContain("ico.org.uk");
  expect(complaints).toContain("0303 123 1113");
});

test("the notice is a public page, cached like the others", () => {
  expect(headers({} as never)).toEqual({ "Cache-Control": publicCacheControl });
  expect(pageQueryParams("/privacy")).toEqual([]);
});

test("every page's footer links to the notice", async () => {
  await insertCampaign();
  function Root() {
    return (
      <Layout>
        <Outlet />
      </Layout>
    );
  }
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: Root,
      loader: async () => await rootLoader(),
      children: [{ index: true, Component: () => <h1>Any page</h1> }],
    },
  ]);
  render(<Stub initialEntries={["/"]} />);
  await screen.findByRole("heading", { level: 1, name: "Any page" });
  const footer = screen.getByRole("contentinfo");
  expect(within(footer).getByRole("link", { name: "Privacy notice" }).getAttribute("href")).toBe("/privacy");
});

test("the ask form links to the notice beside the consents, in a new tab so nothing typed is lost", async () => {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  await insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  const Stub = createRemixStub([
    {
      path: "/constituencies/:slug/ask",
      Component: AskPage,
      loader: async ({ params, request }) => askLoader({ params, request, context: {} }),
    },
  ]);
  render(<Stub initialEntries={[`/constituencies/${seat.slug}/ask`]} />);
  const updates = await screen.findByRole("group", { name: "Campaign updates" });
  const link = screen.getByRole("link", { name: "privacy notice (opens in new tab)" });
  expect(link.getAttribute("href")).toBe("/privacy");
  expect(link.getAttribute("target")).toBe("_blank");
  // Beside the consents: straight after the last one, before the button.
  expect(updates.parentElement?.nextElementSibling?.contains(link)).toBe(true);
});
