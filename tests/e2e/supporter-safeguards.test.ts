import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { waitFor } from "./wait-for";
import { startFixtureServer } from "./fixture-server";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

// What a real supporter or candidate hits, on a phone, with JavaScript on and
// off: a quick Continue and Send are never silently dropped, a second press on
// a used link says what happened, and a limit says when to come back. Its own
// server: the limits it reaches must not touch the other journeys.
let app: AppServer;
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

beforeAll(async () => {
  app = await startFixtureServer();
});

afterAll(async () => {
  await app?.stop();
});

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** The newest mail delivered to the local mailbox for an address, read from the server's database. */
async function mailboxText(address: string) {
  const [row] = await app.query<{ text: string }>(
    "select text_body as text from mailbox where to_address = ? order by id desc limit 1",
    [address],
  );
  return row?.text;
}

async function titleMatchesHeading(page: Page, heading: string) {
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  expect(await page.title()).toBe(heading);
}

/** The ask form filled as autofill does, everything at once, Continue and Send at once. Ends on "Check your email". */
async function askStraightAway(js: "on" | "off", email: string) {
  {
    const page = await phonePage(js);
    await page.goto(`${app.baseUrl}/constituencies/brackenby-vale/ask`);
    await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();
    // As autofill does: everything at once, then Continue at once.
    await page.getByLabel("Your name").fill("Quick Person");
    await page.getByLabel("Your email address").fill(email);
    await page.getByLabel("Your postcode").fill("ZZ4 1AA");
    await page.getByRole("checkbox", { name: "Sandra Hebblethwaite" }).uncheck();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();

    await page.getByRole("button", { name: "Send", exact: true }).click();
    const sent = page.getByRole("heading", { name: "Check your email" });
    const notYet = page.getByRole("heading", {
      name: "Your message has not been sent yet",
    });
    await sent.or(notYet).waitFor();
    // On a busy machine the first press may already be 3 s after the form
    // loaded; when it is not, the page says so and a second press sends.
    if (await notYet.isVisible()) {
      expect(await page.title()).toMatch(/^Not sent yet: Check your message/);
      await page.screenshot({
        path: `/tmp/journeys-not-sent-yet-js-${js}.png`,
        fullPage: true,
      });
      await page.waitForTimeout(3_100);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await sent.waitFor();
    }
    return page;
  }
}

for (const js of ["on", "off"] as const) {
  test(`JavaScript ${js}: Continue and Send straight away are never dropped silently`, async () => {
    const page = await askStraightAway(js, `quick-${js}@example.org`);
    expect(await page.title()).toBe("Check your email");
    await waitFor("the confirmation mail", () => mailboxText(`quick-${js}@example.org`));
    await page.close();
  });
}

test("a second tab's press on a used confirmation link says the message was already sent, with a 410", async () => {
  {
    const js = "on";
    const email = "second-tab@example.org";
    const page = await askStraightAway(js, email);
    const text = await waitFor("the confirmation mail", () => mailboxText(email));
    const link = linkIn(text, "asks/confirm");
    const second = await phonePage(js);
    await page.goto(link);
    await second.goto(link);
    await titleMatchesHeading(page, "Send your message");
    await titleMatchesHeading(second, "Send your message");

    await page.getByRole("button", { name: "Send my message" }).click();
    await page.getByRole("heading", { name: "Message sent" }).waitFor();
    // Sandra (no published email) was unticked: not listed as counted; the address holds no postcode.
    expect(await page.getByRole("heading", { name: "Candidates we could not email" }).count()).toBe(0);
    expect(page.url()).not.toMatch(/postcode|ZZ4/i);
    // The share link wraps rather than widen the phone's page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByRole("link", { name: /\/constituencies\/brackenby-vale$/ }).count()).toBe(1);

    const answer = second.waitForResponse((r) => r.request().method() === "POST");
    await second.getByRole("button", { name: "Send my message" }).click();
    expect((await answer).status()).toBe(410);
    await titleMatchesHeading(second, "Your message has already been sent");
    await second.screenshot({
      path: `/tmp/journeys-already-sent-js-${js}.png`,
      fullPage: true,
    });
    await page.close();
    await second.close();
  }
});

test("asking for signing links too often from one address: a 429 page with Retry-After and how long to wait, JavaScript on and off", async () => {
  // Ten requests an hour from one client address are allowed (all the tests' requests come from 127.0.0.1).
  const people = ["900346", "900604", "900862", "900644"];
  for (let i = 0; i < 10; i++) {
    const response = await fetch(`${app.baseUrl}/candidates/${people[i % 4]}`, {
      method: "POST",
      headers: {
        Origin: app.baseUrl,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "",
      redirect: "manual",
    });
    expect(response.status).toBe(302);
  }
  for (const js of ["off", "on"] as const) {
    const page = await phonePage(js);
    await page.goto(`${app.baseUrl}/candidates/900644`);
    const answer = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Email me a signing link" }).click();
    const response = await answer;
    expect(response.status()).toBe(429);
    const retryAfter = Number(await response.headerValue("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    await page
      .getByRole("heading", {
        name: "Sorry, there have been too many attempts",
      })
      .waitFor();
    await page.getByText(/^Please try again in \d+ minutes?\.$/).waitFor();
    await page.screenshot({
      path: `/tmp/journeys-429-js-${js}.png`,
      fullPage: true,
    });
    await page.close();
  }
});
