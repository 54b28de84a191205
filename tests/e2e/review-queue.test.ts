import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { askAndConfirm, expectNoAxeViolations, expectNoSidewaysScroll, query, signInNewAdmin } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { waitFor } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";

// Launch day, on a phone, with JavaScript on and off: a supporter's ask from a
// disposable address is held at confirmation; an admin signs in, finds it in
// the review queue, releases it and sees its mails sent; pauses all sending;
// downloads the supporters who asked for updates; and finds each step in the
// audit log. Each run has its own server, so its pause and queue are its own.
const admin = "lead@campaign.example";
const password = "harbour lights over the estuary";
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

    test("a held ask is released and sent, sending is paused, the opted-in supporters are downloaded, and the audit log shows it all", async () => {
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const supporterEmail = `pat-${js}@mailinator.com`;
      const supporter = await phonePage(js);
      await askAndConfirm(app, supporter, { name: "Pat Held", email: supporterEmail });
      const [ask] = await query<{ id: number; status: string }>(
        app,
        "select id, status from asks where email = ?",
        supporterEmail,
      );
      expect(ask!.status).toBe("held");
      expect(
        await query(
          app,
          "select 1 from outbox where ask_id = ? and kind = 'candidate-ask' and status != 'held'",
          ask!.id,
        ),
      ).toEqual([]);

      const page = await phonePage(js);
      await signInNewAdmin(app, page, { email: admin, password, next: "/staff/review" });
      // Back where the sign-in started: the review queue, with the held ask and why.
      await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
      const card = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: `Ask ${ask!.id}: Pat Held, Brackenby Vale` }) });
      await card.getByText("A disposable email address").waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-review-queue-js-${js}.png`, fullPage: true });
      // The ask's own page: why it was held, and blocking where it came from.
      await card.getByRole("link", { name: `Reject or block ask ${ask!.id}` }).click();
      await page.getByRole("heading", { level: 1, name: `Ask ${ask!.id}: Pat Held` }).waitFor();
      await page.getByRole("button", { name: "Block the domain mailinator.com" }).click();
      await page.getByText("This email domain is on the block list now.").waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.getByRole("link", { name: "Back to the review queue" }).click();
      await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
      await card.getByRole("button", { name: `Release ask ${ask!.id}` }).click();
      await page.getByText(`Ask ${ask!.id} was released: its mails are on their way.`).waitFor();
      await page.getByText("No asks are waiting for review.").waitFor();

      // Its mails go out: the worker sends what was held, now queued.
      await waitFor("the released ask's mails to be sent", async () => {
        const statuses = await query<{ status: string }>(
          app,
          "select status from outbox where ask_id = ? and kind = 'candidate-ask'",
          ask!.id,
        );
        return statuses.length > 0 && statuses.every((s) => s.status === "sent") ? statuses : undefined;
      });

      // Pause all sending from the dashboard.
      await page.getByRole("link", { name: "Dashboard", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await page.getByText("Pause all sending", { exact: true }).first().click();
      await page.getByLabel("Why (for the audit log and your colleagues)").fill("A bad wording went out");
      await page.getByRole("button", { name: "Pause all sending" }).click();
      await page.getByRole("heading", { level: 2, name: "All sending is paused" }).waitFor();

      // Download the supporters who asked for updates.
      await page.getByRole("link", { name: "Supporters", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Download supporters" }).waitFor();
      await checkAccessibility(page);
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download CSV" }).click();
      const csv = readFileSync((await (await download).path())!, "utf8");
      expect(csv).toContain(supporterEmail);
      expect(csv).toContain("Email me campaign updates, including when my candidates sign");

      // The audit log has each step, by who did it.
      await page.goto(`${app.baseUrl}/staff/audit`);
      await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
      for (const action of ["staff.set-up", "staff.sign-in", "review.release", "sending.pause", "supporters.export"])
        await page.getByRole("cell", { name: action, exact: true }).first().waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-audit-js-${js}.png`, fullPage: true });
      // Never the supporter's address.
      expect(await page.content()).not.toContain(supporterEmail);
      await supporter.close();
      await page.close();
    });

    // Signed in by the journey above (the browser keeps its cookie): every
    // other staff page, checked as a screen-reader or keyboard user meets it.
    const otherPages = [
      "/staff/outbox",
      "/staff/outbox/1",
      "/staff/block-list",
      "/staff/public-list",
      "/staff/accounts",
      "/staff/candidates",
      "/staff/candidates/900644",
      "/staff/candidates/900644/pledge",
      "/staff/imports",
      "/staff/settings",
      "/staff/settings/campaign",
      "/staff/settings/versions",
    ];
    for (const path of otherPages) {
      test(`${path} fits a phone${js === "on" ? " and passes axe" : ""}`, async () => {
        const page = await phonePage(js);
        await page.goto(`${app.baseUrl}${path}`);
        await page.getByText(`Signed in as ${admin}`).waitFor();
        await expectNoSidewaysScroll(page);
        if (js === "on") await expectNoAxeViolations(page);
        await page.close();
      });
    }
  });
}
