// Finding your constituency: by postcode (the fixture election has invented
// ZZ postcodes in tests/fixtures/election/postcodes-onspd.csv) or by name, with and without JavaScript.
import { expect, inject, test } from "vitest";
import { useBrowser } from "./use-browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

test("a postcode typed any old way on the home page leads to its constituency", async () => {
  const page = await browser.context.newPage();
  await page.goto(baseUrl);
  const postcode = page.getByRole("textbox", { name: "Enter your postcode" });
  await expect(postcode.getAttribute("autocomplete")).resolves.toBe("postal-code");
  await page.getByText("For example, SW1A 1AA").waitFor();
  await postcode.fill(" zz4 1aa ");
  await page.getByRole("button", { name: "Find constituency" }).click();
  // The address changes before React has rendered the new page: wait for the page.
  await page.getByRole("heading", { level: 1, name: "Brackenby Vale" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/brackenby-vale?postcode=ZZ4%201AA`);
  await page.close();
});

test("an unknown postcode shows the error summary, focused, with the postcode kept to correct", async () => {
  const page = await browser.context.newPage();
  await page.goto(baseUrl);
  await page.getByRole("textbox", { name: "Enter your postcode" }).fill("zz4 9xx");
  await page.getByRole("button", { name: "Find constituency" }).click();

  const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "There is a problem" }) });
  const message =
    "We cannot find the postcode ZZ4 9XX. Check it and try again, or choose your constituency from the list";
  await summary.getByRole("link", { name: message }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/find?postcode=zz4+9xx`);
  await expect.poll(() => summary.evaluate((element) => element === document.activeElement)).toBe(true);
  await expect.poll(() => page.title()).toBe("Error: Find your constituency");
  const postcode = page.getByRole("textbox", { name: "Enter your postcode" });
  await expect.poll(() => postcode.inputValue()).toBe("zz4 9xx");
  await expect.poll(() => postcode.getAttribute("aria-invalid")).toBe("true");
  // The inline error is what the field's description reads out.
  const describedBy = (await postcode.getAttribute("aria-describedby")) ?? "";
  const description = await page.evaluate(
    (ids) =>
      ids
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" "),
    describedBy,
  );
  expect(description).toContain(message);

  // The summary links to the field; a corrected postcode goes through.
  await expect(summary.getByRole("link").getAttribute("href")).resolves.toBe("#postcode");
  await postcode.fill("ZZ4 1AB");
  await page.getByRole("button", { name: "Find constituency" }).click();
  await page.getByRole("heading", { level: 1, name: "Brackenby Vale" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/brackenby-vale?postcode=ZZ4%201AB`);
  await page.close();
});

test("someone without a postcode chooses their constituency by name", async () => {
  const page = await browser.context.newPage();
  await page.goto(baseUrl);
  await page.getByText("I do not know my postcode").click();
  await page.getByRole("combobox", { name: "Choose your constituency" }).selectOption({ label: "Wendlebury" });
  await page.getByRole("button", { name: "Go to constituency" }).click();
  // The address changes before React has rendered the new page: wait for the page.
  await page.getByRole("heading", { level: 1, name: "Wendlebury" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/wendlebury`);
  await page.close();
});

test("a postcode outside any constituency is explained, and the list is offered there and then", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/find?postcode=ZY1+1AA`);
  await page
    .getByRole("link", {
      name: /^ZY1 1AA is not in a UK Parliament constituency \(for example, it is in the Channel Islands/,
    })
    .waitFor();
  await page.getByRole("combobox", { name: "Choose your constituency" }).selectOption({ label: "Bryngôr" });
  await page.getByRole("button", { name: "Go to constituency" }).click();
  await page.getByRole("heading", { level: 1, name: "Bryngôr" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/bryngor`);
  await page.close();
});

test("a friend's link fills the postcode in", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/?postcode=zz12%202ad`);
  await expect.poll(() => page.getByRole("textbox", { name: "Enter your postcode" }).inputValue()).toBe("ZZ12 2AD");
  await page.close();
});

test("without JavaScript the postcode form and its errors work the same", async () => {
  const page = await noScript.context.newPage();
  await page.goto(baseUrl);
  await page.getByRole("textbox", { name: "Enter your postcode" }).fill("ZZ1 9ZZ");
  await page.getByRole("button", { name: "Find constituency" }).click();
  await page.getByRole("heading", { name: "There is a problem" }).waitFor();
  await page.getByRole("link", { name: /^The postcode ZZ1 9ZZ is no longer in use/ }).waitFor();
  expect(page.url()).toMatch(/\/find\?postcode=ZZ1\+9ZZ$/);
  await expect.poll(() => page.title()).toBe("Error: Find your constituency");

  const postcode = page.getByRole("textbox", { name: "Enter your postcode" });
  await postcode.fill("zz9 1aa");
  await page.getByRole("button", { name: "Find constituency" }).click();
  await page.getByRole("heading", { level: 1, name: /^Glenmorven and Strathkin/ }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/glenmorven-and-strathkin?postcode=ZZ9%201AA`);
  await page.close();
});
