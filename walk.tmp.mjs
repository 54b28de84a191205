// Temporary walk through the journeys (not committed).
import { chromium } from "playwright-core";
const base = "http://127.0.0.1:3100";
const out = "/tmp/walk/shots";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const report = [];
async function run(js) {
  const tag = js ? "js" : "nojs";
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: js });
  const page = await ctx.newPage();
  const shot = async (name) => {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    report.push(`${tag} ${name}: ${page.url().replace(base, "")} width=${w} title="${await page.title()}"`);
    await page.screenshot({ path: `${out}/${tag}-${name}.png`, fullPage: false });
  };
  await page.goto(base + "/");
  await shot("01-home");
  await page.getByLabel(/postcode/i).first().fill("AB10 1AB");
  await page.getByRole("button", { name: /find|search|go/i }).first().click();
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("02-constituency");
  await page.getByRole("link", { name: /ask|email/i }).first().click();
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("03-ask");
  // submit empty to see errors
  await page.getByRole("button", { name: /send|continue|ask/i }).last().click();
  await page.getByText(/there is a problem/i).first().waitFor();
  await shot("04-ask-errors");
  await page.getByLabel(/^your name|full name|name$/i).first().fill(`Walk ${tag} Tester`);
  await page.getByLabel(/email/i).first().fill(`walk-${tag}-${Date.now()}@example.org`);
  const boxes = page.getByRole("checkbox");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) { const b = boxes.nth(i); if (!(await b.isChecked())) { const label = await b.evaluate((el) => el.labels?.[0]?.textContent ?? ""); if (!/update|public/i.test(label)) await b.check().catch(() => {}); } }
  await page.waitForTimeout(3500);
  await page.getByRole("button", { name: /send|continue|ask/i }).last().click();
  await page.getByRole("heading", { name: /check your email/i }).waitFor();
  await shot("05-check-email");
  await page.goto(base + "/outbox");
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("06-outbox");
  await page.getByRole("link", { name: /confirm/i }).first().click();
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("07-mail");
  const confirmHref = await page.locator("a[href*='/asks/confirm/']").first().getAttribute("href");
  await page.goto(confirmHref.startsWith("http") ? confirmHref.replace(/^https?:\/\/[^/]+/, base) : base + confirmHref);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("08-confirm");
  await page.getByRole("button").filter({ hasText: /confirm|send/i }).first().click();
  await page.getByRole("heading", { level: 1 }).waitFor();
  await shot("09-thank-you");
  // candidate: signing link from the outbox
  await page.goto(base + "/outbox");
  const ask = page.getByRole("link", { name: /will you sign/i }).first();
  if (await ask.count()) {
    await ask.click();
    const signHref = await page.locator("a[href*='/pledge/sign/']").first().getAttribute("href");
    await page.goto(signHref.replace(/^https?:\/\/[^/]+/, base));
    await page.getByRole("heading", { level: 1 }).waitFor();
    await shot("10-sign");
    await page.getByRole("button", { name: /record|sign|submit|save/i }).first().click();
    await page.getByText(/there is a problem/i).first().waitFor();
    await shot("11-sign-errors");
    const radios = page.getByRole("radio", { name: /^sign|i sign|yes/i });
    const rn = await radios.count();
    for (let i = 0; i < rn; i++) await radios.nth(i).check();
    await page.getByRole("button", { name: /record|sign|submit|save/i }).first().click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await shot("12-candidate-after");
  } else report.push(`${tag}: no candidate ask mail in the outbox`);
  for (const p of ["/board", "/map", "/data", "/supporters", "/constituencies"]) {
    await page.goto(base + p);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await shot("20" + p.replace("/", "-"));
  }
  await ctx.close();
}
for (const js of [false, true]) {
  try { await run(js); } catch (e) { report.push(`${js ? "js" : "nojs"} FAILED: ${e.message.split("\n")[0]}`); }
}
await browser.close();
console.log(report.join("\n"));
