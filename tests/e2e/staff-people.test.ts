import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import {
  askAndConfirm,
  databaseBytes,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  query,
  signInNewAdmin,
} from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { gotoUntil } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";

// An access request and an erasure request, answered by an admin on a phone
// with JavaScript on and off: find the supporter by email, download what is
// held about them (and nothing about their neighbour), erase them after a
// confirmation, and their name is gone from /supporters and their address
// from the database file.
const password = "moss on the north wall";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

type Exported = {
  email: string;
  asks: { name: string; postcode: string; personalMessage: string; constituencyName: string }[];
  mails: { kind: string }[];
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

    test("an admin downloads what is held about a supporter, then erases them", async () => {
      const email = `erase-me-${js}@example.org`;
      const message = "The otters in Brackenby brook need the culvert opened before winter.";
      const supporter = await browsers[js].context.newPage();
      await askAndConfirm(app, supporter, { name: "Philippa Quenby", email, message, publicList: true });
      await askAndConfirm(app, supporter, {
        name: "Tobias Wren",
        email: `neighbour-${js}@example.org`,
        publicList: true,
      });
      await gotoUntil(
        supporter,
        `${app.baseUrl}/supporters`,
        "both on the supporters list",
        async (p) =>
          (await p.getByText(/^Philippa Q · /).isVisible()) && (await p.getByText(/^Tobias W · /).isVisible()),
      );

      const page = await browsers[js].context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await signInNewAdmin(app, page, { email: `people-${js}@campaign.example`, password, next: "/staff/people" });
      await page.getByRole("heading", { level: 1, name: "Find a person’s data" }).waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      // A mistyped address is an error by the field.
      await page.getByLabel("Email address").fill("erase-me at example.org");
      await page.getByRole("button", { name: "Find" }).click();
      await page
        .getByRole("link", { name: "Enter an email address in the correct format, like name@example.com" })
        .waitFor();
      expect(await page.title()).toMatch(/^Error: /);

      await page.getByLabel("Email address").fill(email.toUpperCase());
      await page.getByRole("button", { name: "Find" }).click();
      await page.getByRole("heading", { level: 2, name: `What we hold about ${email}` }).waitFor();
      await page.getByRole("cell", { name: "Brackenby Vale" }).waitFor();
      // What they agreed to, on the page as well as in the download.
      const consents = page.getByRole("table", { name: "Their consents, oldest first" });
      await consents.getByRole("cell", { name: "Sending your message to candidates" }).waitFor();
      expect(await consents.getByRole("cell", { name: "Given" }).count()).toBeGreaterThan(0);
      // Posted, never in the address bar.
      expect(page.url()).toBe(`${app.baseUrl}/staff/people`);
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download everything we hold (JSON)" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
      const text = readFileSync((await file.path())!, "utf8");
      const exported = JSON.parse(text) as Exported;
      expect(exported.email).toBe(email);
      expect(exported.asks).toEqual([
        expect.objectContaining({
          name: "Philippa Quenby",
          postcode: "ZZ4 1AA",
          personalMessage: message,
          constituencyName: "Brackenby Vale",
        }),
      ]);
      expect(exported.mails.map((m) => m.kind)).toContain("ask-confirmation");
      expect(text).not.toContain("Tobias");
      expect(text).not.toContain(`neighbour-${js}@example.org`);

      await page.getByRole("button", { name: "Erase this person" }).click();
      await page.getByRole("heading", { level: 1, name: `Erase ${email}?` }).waitFor();
      await page.getByText(/already reached candidates\. We cannot recall those/).waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);
      await page.getByLabel("Never sign this address up for campaign updates again").check();
      await page.getByRole("button", { name: "Erase everything" }).click();
      await page.getByText(/^The person is erased: 1 ask anonymised/).waitFor();
      await page.getByText("They will not be signed up for updates again.", { exact: false }).waitFor();
      if (js === "on") await expectNoAxeViolations(page);

      await gotoUntil(
        supporter,
        `${app.baseUrl}/supporters`,
        "Philippa gone from the supporters list",
        async (p) =>
          (await p.getByText(/^Tobias W · /).isVisible()) && !(await p.getByText(/^Philippa Q · /).isVisible()),
      );
      expect(await supporter.content()).not.toContain("Philippa");

      expect(await query(app, "select id from asks where email = ?", email)).toEqual([]);
      expect(
        await query<{ action: string }>(app, "select action from audit_log where action like 'person.%' order by id"),
      ).toEqual([{ action: "person.export" }, { action: "person.erase" }]);
      expect(JSON.stringify(await query(app, "select * from audit_log"))).not.toContain(email);
      // The bytes are gone from the database file and its WAL, not just from its rows
      // (on PostgreSQL, from every value of every row: see databaseBytes).
      const bytes = await databaseBytes(app);
      for (const gone of [email, "Philippa Quenby", message]) expect(bytes.includes(gone), gone).toBe(false);
      expect(bytes.includes(`neighbour-${js}@example.org`)).toBe(true);
    });
  });
}
