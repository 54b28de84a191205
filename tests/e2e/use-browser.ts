// Not in browser.ts: the global setup imports that file, and vitest's hooks
// cannot be loaded there.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { openBrowser, type Browser } from "./browser";

/**
 * One browser for the tests of a file: opened before them, closed after.
 * `browser.context` is there once the tests run.
 */
export function useBrowser(options: { javaScriptEnabled?: boolean } = {}) {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await openBrowser(options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get context(): BrowserContext {
      if (!browser) throw new Error("The browser opens in beforeAll: use it inside a test");
      return browser.context;
    },
  };
}
