// What the staff console's browser journeys share: an admin made on the
// command line and signed in, a supporter's ask from the form to its
// confirmation, reads of the server's database, and the page checks every
// staff page passes (axe, no sideways scroll at 390 px).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { generateTOTP } from "@epic-web/totp";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { dwellLikeAPerson, waitFor } from "./wait-for";
import { envWithDatabase, type AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Rows from the server's database, read-only, as the test sees what the app did (AppServer.query: `?` placeholders, either engine). */
export function query<T>(app: AppServer, sql: string, ...params: unknown[]): Promise<T[]> {
  return app.query<T>(sql, params);
}

/**
 * What the server's database holds, for checking that erased data is gone.
 * SQLite: the bytes on disk, the file and its WAL (if any), so what an
 * erasure overwrote is gone from the file, not just from its rows.
 * PostgreSQL: every value in every row of every table, as text. The test
 * cannot read a database server's files, and what PostgreSQL leaves in them
 * until vacuum reuses the space is the operator's to manage (the app says so:
 * app/models/erasure.server.ts), so here the check is that no row anywhere,
 * in any column or JSON value, still holds it.
 */
export async function databaseBytes(app: AppServer): Promise<Buffer> {
  if (app.databasePath) {
    let wal: Buffer = Buffer.alloc(0);
    try {
      wal = readFileSync(`${app.databasePath}-wal`);
    } catch {
      // No WAL yet (or checkpointed away): the file alone holds everything.
    }
    return Buffer.concat([readFileSync(app.databasePath), wal]);
  }
  const tables = await app.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  const values: string[] = [];
  const collect = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (Buffer.isBuffer(value)) values.push(value.toString("latin1"));
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === "object" && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value)) {
        values.push(key);
        collect(inner);
      }
    } else values.push(String(value));
  };
  for (const { name } of tables) collect(await app.query(`select * from "${name}"`));
  return Buffer.from(values.join("\n"));
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map(
      (v) => `${page.url()} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    ),
  ).toEqual([]);
}

export async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

/**
 * An admin from `npm run staff:add`, set up through its link with a password
 * and a TOTP app, then signed in (with a recovery code: the set-up used this
 * 30-second step's code). Ends on the page `next` names.
 */
export async function signInNewAdmin(
  app: AppServer,
  page: Page,
  { email, password, next }: { email: string; password: string; next: string },
) {
  await page.goto(addStaff(app, { email, role: "admin" }));
  await page.getByRole("heading", { level: 1, name: "Set up your staff account" }).waitFor();
  const secret = ((await page.locator("code.secret-key").textContent()) ?? "").replace(/\s+/g, "");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Enter the password again").fill(password);
  await page.getByLabel("Code from the app").fill((await generateTOTP({ secret, period: 30 })).otp);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("heading", { level: 1, name: "Your account is set up" }).waitFor();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect.poll(() => codes.count()).toBe(10);
  const recoveryCode = ((await codes.first().textContent()) ?? "").trim();

  await page.goto(`${app.baseUrl}${next}`);
  await page.getByRole("heading", { level: 1, name: "Sign in to the staff console" }).waitFor();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Enter your code" }).waitFor();
  await page.getByLabel("Code", { exact: true }).fill(recoveryCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();
}

/** A new account from `npm run staff:add`; the set-up link it prints, on the test server's origin. */
export function addStaff(app: AppServer, { email, role }: { email: string; role: "admin" | "organiser" | "viewer" }) {
  const run = spawnSync("npm", ["run", "--silent", "staff:add", "--", "--email", email, "--role", role], {
    cwd: repoRoot,
    env: envWithDatabase(app.databaseEnv),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`npm run staff:add failed:\n${run.stdout}\n${run.stderr}`);
  const printed = run.stdout.split("\n").find((line) => /^https?:\/\//.test(line.trim()));
  if (!printed) throw new Error(`npm run staff:add printed no link:\n${run.stdout}`);
  // It prints PUBLIC_URL and the path; the test's server is on a port of its own.
  return `${app.baseUrl}${new URL(printed.trim()).pathname}`;
}

/** An organiser from `npm run staff:add`, set up with a password and no code (organisers may go without), then signed in. */
export async function signInNewOrganiser(
  app: AppServer,
  page: Page,
  { email, password }: { email: string; password: string },
) {
  await page.goto(addStaff(app, { email, role: "organiser" }));
  await page.getByRole("heading", { level: 1, name: "Set up your staff account" }).waitFor();
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Enter the password again").fill(password);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("heading", { level: 1, name: "Your account is set up" }).waitFor();
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in to the staff console" }).waitFor();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();
}

/**
 * A supporter's ask in Brackenby Vale from the form to its confirmation, asking for campaign updates; with
 * `message` in their own words, and on the public list if `publicList`.
 */
export async function askAndConfirm(
  app: AppServer,
  page: Page,
  {
    name,
    email,
    message,
    publicList = false,
    beforeSending,
  }: {
    name: string;
    email: string;
    message?: string;
    publicList?: boolean;
    beforeSending?: (page: Page) => Promise<void>;
  },
) {
  await page.goto(`${app.baseUrl}/constituencies/brackenby-vale/ask`);
  await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Your email address").fill(email);
  await page.getByLabel("Your postcode").fill("ZZ4 1AA");
  await page.getByLabel(/Email me campaign updates/).check();
  if (message) await page.getByLabel("Add something in your own words (optional)").fill(message);
  if (publicList) await page.getByLabel(/Show my first name and the initial of my last name/).check();
  await dwellLikeAPerson(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();
  await beforeSending?.(page);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  const [mail] = await waitFor("the confirmation mail", async () => {
    const rows = await query<{ text: string }>(
      app,
      "select text_body as text from mailbox where to_address = ?",
      email,
    );
    return rows.length > 0 ? rows : undefined;
  });
  await page.goto(linkIn(mail!.text, "asks/confirm"));
  await page.getByRole("heading", { name: "Send your message" }).waitFor();
  await page.getByRole("button", { name: "Send my message" }).click();
  // Held or not, the supporter sees what any supporter sees.
  await page.getByRole("heading", { name: "Message sent" }).waitFor();
}
