import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { askAndConfirm, expectNoAxeViolations, expectNoSidewaysScroll, query, signInNewAdmin } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { waitFor } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";

// An admin changes how the ask is worded, on a phone, with JavaScript on and
// off: the new words are previewed before anything is saved, saved as a new
// version, and the next supporter's ask mail to candidates carries them. The
// admin adds a point with the "Add another point" button, and removes it.
const admin = "settings@campaign.example";
const password = "river stones under the bridge";
const newOpening = "I live here, I vote here, and I would like you to make the Clean Rivers Promise this week.";
const fifthTitle = "Keep the rivers' banks open to walkers.";
const fifthBody = "I will defend the public's right to walk beside rivers and to reach the water.";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

for (const js of ["on", "off"] as const) {
  describe(`JavaScript ${js}`, () => {
    let app: AppServer;

    beforeAll(async () => {
      app = await startFixtureServer();
    });

    afterAll(async () => {
      await app?.stop();
    });

    test("an admin previews and saves a new wording, and the next supporter's ask uses it", async () => {
      const page = await browsers[js].context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await signInNewAdmin(app, page, { email: admin, password, next: "/staff/settings/campaign" });
      await page.getByRole("heading", { level: 1, name: "Campaign settings" }).waitFor();
      if (js === "on") await expectNoAxeViolations(page);

      const wording = page.getByRole("group", { name: "Wording 1" });
      await wording.getByLabel("Opening").fill(newOpening);
      await page.getByRole("button", { name: "Preview" }).click();
      await page.getByRole("heading", { name: "Preview: nothing is saved yet" }).waitFor();
      await page.getByText(newOpening).first().waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);
      // Nothing is saved by a preview.
      expect(
        await query(app, "select 1 from campaigns where cast(wording_variants as text) like ?", `%${newOpening}%`),
      ).toEqual([]);

      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("The campaign settings are saved, and kept as a new version.").waitFor();
      expect(
        await query<{ savedBy: string }>(
          app,
          'select saved_by as "savedBy" from campaign_settings_versions order by id desc limit 1',
        ),
      ).toEqual([{ savedBy: admin }]);
      await page.screenshot({ path: `/tmp/staff-settings-js-${js}.png`, fullPage: true });

      // The next supporter's ask, in the first wording, carries the new words.
      const supporter = await browsers[js].context.newPage();
      await supporter.setViewportSize({ width: 390, height: 844 });
      const email = `reader-${js}@example.org`;
      await askAndConfirm(app, supporter, {
        name: "Dana Reader",
        email,
        beforeSending: async (preview) => {
          await expect.poll(() => preview.locator(".mail-preview").textContent()).toContain(newOpening);
        },
      });
      const mails = await waitFor("the ask mails to candidates", async () => {
        const rows = await query<{ text: string }>(
          app,
          "select outbox.text_body as text from outbox join asks on asks.id = outbox.ask_id where asks.email = ? and outbox.kind = 'candidate-ask'",
          email,
        );
        return rows.length > 0 ? rows : undefined;
      });
      for (const mail of mails) expect(mail.text).toContain(newOpening);
      await supporter.close();
      await page.close();
    });

    test("an admin adds a fifth point, previews and saves it, the home page shows it; then removes it again", async () => {
      const page = await browsers[js].context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      // A new admin of its own: the first journey's session is signed out.
      await browsers[js].context.clearCookies();
      await signInNewAdmin(app, page, {
        email: `points-${js}@campaign.example`,
        password,
        next: "/staff/settings/campaign",
      });
      await page.getByRole("heading", { level: 1, name: "Campaign settings" }).waitFor();
      await page.getByLabel("Campaign name").fill(`Clean Rivers Promise (${js})`);

      await page.getByRole("button", { name: "Add another point" }).click();
      const fifth = page.getByRole("group", { name: "Point 5" });
      await fifth.waitFor();
      // What was typed before the button was pressed is kept.
      await expect.poll(() => page.getByLabel("Campaign name").inputValue()).toBe(`Clean Rivers Promise (${js})`);
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);
      await fifth.getByLabel("Title").fill(fifthTitle);
      await fifth.getByLabel("What it means").fill(fifthBody);
      await page.getByRole("button", { name: "Preview" }).click();
      const preview = page.getByRole("region", { name: "Preview: nothing is saved yet" });
      await preview.getByRole("heading", { name: fifthTitle }).waitFor();
      expect(await query(app, "select 1 from pledge_points where title = ?", fifthTitle)).toEqual([]);
      // The fixture's candidates have answered, so the page says whose status a fifth point changes.
      await page
        .getByText(/Candidates have answered, so adding a point changes who has signed every point\./)
        .waitFor();
      if (js === "on") await expectNoAxeViolations(page);
      await page.getByRole("checkbox", { name: "I understand who has signed every point changes" }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("The campaign settings are saved, and kept as a new version.").waitFor();
      expect(
        await query(app, "select position from pledge_points where title = ? and retired_at is null", fifthTitle),
      ).toEqual([{ position: 5 }]);

      await page.goto(app.baseUrl);
      await page.getByRole("heading", { name: fifthTitle }).waitFor();

      await page.goto(`${app.baseUrl}/staff/settings/campaign`);
      await page.getByRole("group", { name: "Point 5" }).waitFor();
      await page.getByRole("button", { name: "Remove point 5" }).click();
      await page.getByRole("group", { name: "Point 5" }).waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Preview" }).click();
      await page.getByRole("heading", { name: "Preview: nothing is saved yet" }).waitFor();
      await page.getByText(/so removing point 5 \(“Keep the rivers' banks open to walkers\.”\) changes/).waitFor();
      await page.getByRole("checkbox", { name: "I understand who has signed every point changes" }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("The campaign settings are saved, and kept as a new version.").waitFor();
      expect(
        await query(
          app,
          "select case when retired_at is null then 0 else 1 end as retired from pledge_points where title = ?",
          fifthTitle,
        ),
      ).toEqual([{ retired: 1 }]);
      await page.goto(app.baseUrl);
      await page.getByRole("heading", { name: "Stop untreated sewage reaching our rivers." }).waitFor();
      expect(await page.getByRole("heading", { name: fifthTitle }).count()).toBe(0);
      await page.close();
    });
  });
}
