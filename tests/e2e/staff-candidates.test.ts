import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { expectNoAxeViolations, expectNoSidewaysScroll, query, signInNewOrganiser } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { gotoUntil, waitFor } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";
import { fixtureCampaign } from "../fixture-election";
import { linkIn } from "../links";

// An organiser's afternoon, on a phone, with JavaScript on and off: signed in
// without an authenticator code (organisers may go without one), they find the
// Brackenby Vale candidate with no published email, record the pledge she made
// at a hustings and see it in her history; the public board then shows her
// row as recorded by the campaign; and a candidate with a published address
// gets a fresh signing link by mail. Each run has its own server, so its
// pledge, its audit log and the signing link's hourly limit are its own.
const organiser = "organiser@campaign.example";
const password = "copper kettle by the weir";
// From tests/fixtures/election/candidates-dc.csv: Brackenby Vale's one
// candidate with no email, and one with a published address.
const noEmail = { name: "Sandra Hebblethwaite", personId: "900644", party: "Reform UK" };
const withEmail = { name: "Ruth Adeyemi", email: "ruth.adeyemi@example.net" };
const evidenceUrl = "https://example.org/brackenby-hustings-2024";
// Where the organiser finds the address that candidate publishes herself.
const publishedEmail = "sandra.hebblethwaite@example.org";
const publishedAt = "https://example.org/sandra-for-brackenby/contact";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

for (const js of ["on", "off"] as const) {
  describe(`JavaScript ${js}`, () => {
    let app: AppServer;

    beforeAll(async () => {
      app = await startFixtureServer();
    });

    afterAll(async () => {
      await app?.stop();
    });

    test("an organiser finds a candidate with no email, records her pledge made elsewhere, and the board shows it as recorded by the campaign", async () => {
      // The same server-rendered pages either way: axe checks them once, with JavaScript on.
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const page = await phonePage(js);
      await signInNewOrganiser(app, page, { email: organiser, password });

      // Candidates, filtered to Brackenby Vale's candidates with no published email.
      await page.getByRole("link", { name: "Candidates", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Candidates" }).waitFor();
      await page.getByLabel("Constituency contains").fill("Brackenby");
      await page.getByLabel("Published email").selectOption({ label: "No email" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      // The count the filtered list shows, not the rows already on the page (wait-for.ts, rule 3).
      await page.getByRole("heading", { level: 2, name: "1 candidate" }).waitFor();
      const list = page.getByRole("table", { name: "Candidates, by constituency" });
      await expect.poll(() => list.getByRole("row").count()).toBe(2);
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);

      // Her console page: no address, so no link; a pledge made elsewhere can be recorded.
      await list.getByRole("link", { name: noEmail.name }).click();
      await page.getByRole("heading", { level: 1, name: noEmail.name }).waitFor();
      await page.getByText(`There is no published email for ${noEmail.name}`).waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.getByRole("link", { name: "Record a pledge made elsewhere" }).click();
      await page.getByRole("heading", { level: 1, name: "Record a pledge made elsewhere" }).waitFor();
      await checkAccessibility(page);

      // Submitted with no evidence first: the GOV.UK error pattern, nothing recorded.
      for (const n of [1, 2, 3, 4]) {
        await page
          .getByRole("group", { name: new RegExp(`^${n}\\. `) })
          .getByLabel("Signed", { exact: true })
          .check();
      }
      await page.getByRole("button", { name: "Record the pledge" }).click();
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      await page.getByRole("link", { name: "Enter the web address of the evidence" }).waitFor();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      await checkAccessibility(page);
      const herPledge = `select 1 from pledges join candidacies on candidacies.id = pledges.candidacy_id where candidacies.name = ?`;
      expect(await query(app, herPledge, noEmail.name)).toEqual([]);

      await page.getByLabel("Evidence: web address").fill(evidenceUrl);
      await page.getByLabel("Note").fill("Said so at the Brackenby Vale hustings");
      await page.getByRole("button", { name: "Record the pledge" }).click();
      await page.getByText("The pledge is recorded, marked as recorded by the campaign").waitFor();
      await page.getByRole("heading", { level: 1, name: noEmail.name }).waitFor();
      // In her history: the entry, its trust mark, evidence and note, under the organiser's name.
      const entry = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: new RegExp(`recorded by ${organiser}`) }) });
      await entry.getByText("Recorded by the campaign").waitFor();
      await entry.getByText("Note: Said so at the Brackenby Vale hustings").waitFor();
      expect(await entry.getByRole("link", { name: "Evidence" }).getAttribute("href")).toBe(evidenceUrl);
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-candidate-recorded-js-${js}.png`, fullPage: true });
      // Audited under the organiser's name (the sample pledges were recorded by the seeding).
      expect(
        await query(app, "select subject from audit_log where action = 'pledge.record' and actor = ?", organiser),
      ).toEqual([{ subject: expect.stringMatching(new RegExp(` person:${noEmail.personId}$`)) }]);

      // The public board: her row says how the pledge is known and when. The
      // board is cached for the public, so it is fetched until it shows.
      const board = await phonePage(js);
      const row = board.getByRole("row").filter({ has: board.getByRole("rowheader", { name: noEmail.name }) });
      await gotoUntil(
        board,
        `${app.baseUrl}/board?q=Hebblethwaite`,
        "the board to show the recorded pledge",
        async () => (await row.getByText(/^Recorded by the campaign, \d{1,2} [A-Z][a-z]{2} \d{4}$/).count()) === 1,
      );
      await row.getByText("Signed every point").waitFor();
      await row.getByText(noEmail.party).waitFor();
      await expectNoSidewaysScroll(board);
      await checkAccessibility(board);
      await board.screenshot({ path: `/tmp/board-recorded-js-${js}.png`, fullPage: true });
      await board.close();
      await page.close();
    });

    // Signed in by the journey above (the browser keeps its cookie).
    test("an organiser sends a fresh signing link to a candidate's published address, and it is delivered", async () => {
      const page = await phonePage(js);
      await page.goto(`${app.baseUrl}/staff/candidates?constituency=Brackenby&email=yes`);
      await page.getByText(`Signed in as ${organiser}`).waitFor();
      await page
        .getByRole("table", { name: "Candidates, by constituency" })
        .getByRole("link", { name: withEmail.name })
        .click();
      await page.getByRole("heading", { level: 1, name: withEmail.name }).waitFor();
      await page.getByText(withEmail.email).waitFor();
      await page.getByRole("button", { name: "Send a fresh signing link" }).click();
      await page.getByText("A fresh signing link is on its way to the candidate's published email address.").waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      const [mail] = await waitFor("the signing-link mail to be delivered", async () => {
        const rows = await query<{ text: string }>(
          app,
          `select mailbox.text_body as text from mailbox join outbox on outbox.id = mailbox.outbox_id
           where outbox.kind = 'signing-link' and mailbox.to_address = ?`,
          withEmail.email,
        );
        return rows.length > 0 ? rows : undefined;
      });
      expect(mail!.text).toMatch(/\/pledge\/sign\/\S+/);
      expect(
        await query<{ actor: string }>(app, "select actor from audit_log where action = 'signing-link.send'"),
      ).toEqual([{ actor: organiser }]);
      await page.close();
    });

    test("an organiser adds the address a candidate publishes elsewhere, sends her a signing link, and she signs with a verified trust mark", async () => {
      const page = await phonePage(js);
      await page.goto(`${app.baseUrl}/staff/candidates/${noEmail.personId}`);
      await page.getByRole("heading", { level: 1, name: noEmail.name }).waitFor();
      await page.getByLabel("Email address").fill("not an address");
      await page.getByLabel("Where is it published?").fill(publishedAt);
      await page.getByRole("button", { name: "Save the email address" }).click();
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      await page.getByLabel("Email address").fill(publishedEmail);
      await page.getByRole("button", { name: "Save the email address" }).click();
      await page.getByText("The email address is saved with where it is published", { exact: false }).first().waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      await page.getByRole("button", { name: "Send a fresh signing link" }).click();
      await page.getByText("A fresh signing link is on its way to the candidate's published email address.").waitFor();
      const [mail] = await waitFor("the signing link at the added address", async () => {
        const rows = await query<{ text: string }>(
          app,
          `select mailbox.text_body as text from mailbox join outbox on outbox.id = mailbox.outbox_id
           where outbox.kind = 'signing-link' and mailbox.to_address = ?`,
          publishedEmail,
        );
        return rows.length > 0 ? rows : undefined;
      });

      // The candidate, on her own phone, signs through the link.
      const candidate = await phonePage(js);
      await candidate.goto(linkIn(mail!.text, "pledge/sign"));
      await candidate.getByRole("heading", { level: 1, name: "Sign the pledge" }).waitFor();
      for (const [i, title] of fixtureCampaign.points.map((p) => p.title).entries())
        await candidate
          .getByRole("group", { name: `${i + 1}. ${title}` })
          .getByLabel("I sign this point", { exact: true })
          .check();
      await candidate.getByRole("button", { name: "Confirm my answers" }).click();
      await candidate.getByRole("heading", { name: "Thank you: your answers are recorded" }).waitFor();
      await candidate.getByRole("heading", { level: 1, name: noEmail.name }).waitFor();
      await candidate.getByText("Verified by email", { exact: false }).first().waitFor();
      await candidate.getByText(`Email address published at ${publishedAt}`, { exact: false }).waitFor();
      expect(await candidate.content()).not.toContain(organiser);
      await candidate.screenshot({ path: `/tmp/staff-added-email-signed-js-${js}.png`, fullPage: true });
      await candidate.close();
      await page.close();
    });
  });
}
