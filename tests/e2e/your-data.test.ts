import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { askAndConfirm, databaseBytes, expectNoAxeViolations, expectNoSidewaysScroll, query } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { gotoUntil, waitFor } from "./wait-for";
import { envWithDatabase, type AppServer } from "../../scripts/app-server";

// A supporter deletes their own data, on a phone with JavaScript on and off,
// with no account: they ask and confirm, a candidate signs, the "they signed"
// mail arrives in the local mailbox with List-Unsubscribe headers and a link
// to manage their data; the link's page shows what we hold, and "delete
// everything", once confirmed, erases them: their name is gone from
// /supporters and their address from the database file and its WAL.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

/** A pledge recorded by staff, as `npm run pledge:record` does: Ruth Adeyemi signs point 1. */
function ruthSigns(app: AppServer) {
  const run = spawnSync(
    "npm",
    [
      "run",
      "--silent",
      "pledge:record",
      "--",
      "--person",
      "900346",
      "--sign",
      "1",
      "--evidence",
      "https://example.org/evidence/hustings",
      "--note",
      "Signed at the hustings",
      "--by",
      "Priya Shah",
    ],
    // The mails it queues link to the site at PUBLIC_URL: here, the test server.
    {
      cwd: repoRoot,
      env: envWithDatabase(app.databaseEnv, { PUBLIC_URL: app.baseUrl }),
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(`npm run pledge:record failed:\n${run.stdout}\n${run.stderr}`);
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

    test("a supporter opens the manage link in a 'they signed' mail and deletes everything", async () => {
      const email = `delete-me-${js}@example.org`;
      const message = "The footbridge at Brackenby weir has been closed for three winters now.";
      const page = await browsers[js].context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await askAndConfirm(app, page, { name: "Philippa Quenby", email, message, publicList: true });
      await askAndConfirm(app, page, { name: "Tobias Wren", email: `neighbour-${js}@example.org`, publicList: true });
      await gotoUntil(
        page,
        `${app.baseUrl}/supporters`,
        "both on the supporters list",
        async (p) =>
          (await p.getByText(/^Philippa Q · /).isVisible()) && (await p.getByText(/^Tobias W · /).isVisible()),
      );

      ruthSigns(app);
      const [signed] = await waitFor("the 'they signed' mail", async () => {
        const rows = await query<{ id: number; subject: string }>(
          app,
          "select id, subject from mailbox where to_address = ? and subject like 'Ruth Adeyemi has signed%'",
          email,
        );
        return rows.length > 0 ? rows : undefined;
      });

      // The mail, as the local mailbox shows it: the headers a mail client offers "unsubscribe" from, and the link.
      await page.goto(`${app.baseUrl}/outbox/${signed!.id}`);
      await page.getByRole("heading", { level: 1, name: signed!.subject }).waitFor();
      const headerValue = (await page.getByRole("definition").filter({ hasText: "/unsubscribe>" }).textContent()) ?? "";
      expect(headerValue).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/your-data\/[A-Za-z0-9_-]{43}\/unsubscribe>$/);
      await page.getByText("List-Unsubscribe=One-Click", { exact: true }).waitFor();
      const manage = page.getByRole("link", { name: /\/your-data\/[A-Za-z0-9_-]{43}$/ });
      expect(await manage.getAttribute("href")).toBe(headerValue.slice(1, -1).replace(/\/unsubscribe$/, ""));
      await manage.click();

      await page.getByRole("heading", { level: 1, name: "Your data" }).waitFor();
      await page.getByText(email).first().waitFor();
      await page.getByText(message).waitFor();
      await page.getByText(/Campaign updates: given on .* on the ask form \(wording updates-v1/).waitFor();
      await page.getByRole("button", { name: "Stop campaign updates" }).waitFor();
      await page.getByRole("button", { name: "Take my name off the public list" }).waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      await page.getByRole("button", { name: "Delete my data" }).click();
      await page.getByRole("heading", { level: 1, name: "Are you sure you want to delete your data?" }).waitFor();
      await page.getByText(/Messages already delivered to candidates cannot be recalled/).waitFor();
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);
      await page.getByLabel("Never sign this email address up for campaign updates again").check();
      await page.getByRole("button", { name: "Delete my data" }).click();
      await page.getByRole("heading", { level: 1, name: "Your data has been deleted" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/your-data-deleted");
      await expectNoSidewaysScroll(page);
      if (js === "on") await expectNoAxeViolations(page);

      await gotoUntil(
        page,
        `${app.baseUrl}/supporters`,
        "Philippa gone from the supporters list",
        async (p) =>
          (await p.getByText(/^Tobias W · /).isVisible()) && !(await p.getByText(/^Philippa Q · /).isVisible()),
      );
      expect(await page.content()).not.toContain("Philippa");

      // The link no longer works, and says so.
      const response = await page.goto(headerValue.slice(1, -1).replace(/\/unsubscribe$/, ""));
      expect(response?.status()).toBe(404);
      await page.getByRole("heading", { level: 1, name: "This link does not work" }).waitFor();

      expect(await query(app, "select id from asks where email = ?", email)).toEqual([]);
      expect(
        await query<{ n: number }>(app, "select cast(count(*) as integer) as n from asks where erased_at is not null"),
      ).toEqual([{ n: 1 }]);
      // The bytes are gone from the database file and its WAL, not just from its rows
      // (on PostgreSQL, from every value of every row: see databaseBytes).
      const bytes = await databaseBytes(app);
      for (const gone of [email, "Philippa Quenby", message]) expect(bytes.includes(gone), gone).toBe(false);
      expect(bytes.includes(`neighbour-${js}@example.org`)).toBe(true);
    });
  });
}
