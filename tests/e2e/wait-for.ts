/*
 * How browser tests wait. The machine running them is a busy two-core box, so
 * a page is often a second or more behind the test: every read must wait for
 * the thing it checks, or it reads the page before.
 *
 * 1. Wait for content, never for the address. With JavaScript on, a click on a
 *    link or a submit is a client-side navigation: the URL changes first and the
 *    new page renders later, so `waitForURL` then reading the heading reads the
 *    old page. After any click, submit or key press, wait for something only the
 *    new state has, found by role and name:
 *      await page.getByRole("heading", { level: 1, name: "Aberdeen South" }).waitFor();
 *    `waitForURL` may follow as an extra check of the address, never as the wait.
 * 2. Read values by polling, not once: `await expect.poll(() => rows.count()).toBe(5)`,
 *    `expect.poll(() => page.title())`, or wait for a locator that carries the
 *    expected text (`page.getByText("Signed 3 of 4").waitFor()`). A one-shot
 *    `textContent()`, `count()`, `inputValue()`, `isChecked()` or `page.content()`
 *    is safe only straight after `page.goto()` (which resolves once the
 *    server-rendered document has loaded) or after waiting for content rendered
 *    in the same update.
 * 3. A list that is already on the page before the action (board rows, hexes)
 *    proves nothing: wait for the heading or count that the new state shows.
 * 4. Things outside the page (a delivered mail, a row in the database, a page
 *    that must be fetched again to change) are polled with `waitFor` below,
 *    with a generous deadline: it returns as soon as the thing is there.
 * 5. No fixed sleeps to let something happen. The one pause allowed is
 *    `dwellLikeAPerson`, because the ask form requires it.
 * 6. Timeouts are deadlines for failure, not expectations: a passing test never
 *    gets near them. Keep them generous (see vitest.config.ts), and split a
 *    test that does heavy work in a loop (axe on many pages) into one per item.
 * 7. Check a new test against a slow browser before trusting it:
 *      E2E_CPU_THROTTLE=20 npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/<file>
 *    runs every page's JavaScript 20 times slower (browser.ts), so a read that
 *    races the rendering fails every time instead of once in a while.
 */
import type { Page } from "playwright-core";

/**
 * Polls `check` until it returns something truthy (a delivered mail, a row),
 * for things that happen outside the page: the mail worker, the database.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens `url` again until `ready` finds what the test expects: for a page
 * that changes because of something done elsewhere (a signing, a mail the
 * worker sent), which the open page would never show by itself.
 */
export async function gotoUntil(page: Page, url: string, what: string, ready: (page: Page) => Promise<boolean>) {
  await waitFor(what, async () => {
    await page.goto(url);
    return (await ready(page)) || undefined;
  });
}

// The ask form quietly drops posts made sooner than this after it was shown
// (MIN_FILL_MS, 3 s, in app/utils/form-stamp.server.ts): a person
// takes longer, bots do not.
const askFormMinimumMs = 3_000;

/** Lets the ask form's minimum fill time pass, as a person filling it would. */
export async function dwellLikeAPerson(page: Page) {
  await page.waitForTimeout(askFormMinimumMs + 200);
}
