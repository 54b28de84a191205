import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

// What the browser downloads must hold no database code: drizzle in a client
// chunk means a component reached `db/schema.ts`, shipping the ORM and every
// table and column name (the signing tokens' `token_hash` among them) to
// anyone who opens the page. Client-safe constants live in `db/enums.ts`.
// This runs with the browser tests because `npm test` builds the app first.
const assets = "build/client/assets";

// Strings that survive minification: drizzle's symbol and class names, the
// package name, and a column name no page has reason to mention.
const serverOnly = ["drizzle", "entityKind", "SQLiteTable", "sqliteTable", "better-sqlite3", "token_hash"];

test("the client build contains no drizzle code and no column names", () => {
  const scripts = readdirSync(assets, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"));
  expect(scripts.length, `no scripts in ${assets}: run npm run build first`).toBeGreaterThan(0);
  const found = scripts.flatMap((name) => {
    const text = readFileSync(join(assets, name), "utf8");
    return serverOnly.filter((marker) => text.includes(marker)).map((marker) => `${name}: ${marker}`);
  });
  expect(found).toEqual([]);
});
