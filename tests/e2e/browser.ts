import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps trying to reach the
// internet, which this project must never do.
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Browser = { context: BrowserContext; close: () => Promise<void> };

/** A fresh profile each time; Chromium refuses --user-data-dir in args. */
export async function openBrowser({ javaScriptEnabled = true } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "pledge-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args,
    headless: true,
    javaScriptEnabled,
    viewport: { width: 1024, height: 768 },
  });
  // Every locator wait, click and navigation: long enough for a busy two-core
  // machine, the same deadline as waitFor (wait-for.ts). A passing test never nears it.
  context.setDefaultTimeout(45_000);
  // E2E_CPU_THROTTLE=N runs every page's JavaScript N times slower (Chrome
  // DevTools' CPU throttling): the rendering races a loaded machine causes now
  // and then, made to happen every time, to check that tests wait (wait-for.ts).
  const throttle = Number(process.env.E2E_CPU_THROTTLE ?? 1);
  if (throttle > 1) {
    context.on("page", (page) => {
      void context.newCDPSession(page).then((cdp) => cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle }));
    });
  }
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
