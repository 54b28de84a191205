import { db } from "~/utils/db.server";

/**
 * A number that changes whenever another connection commits to the database
 * (SQLite's data_version). The page cache's connection never writes after
 * start-up, so every change the app or the mail worker makes moves it.
 */
export function readDataVersion(): string {
  return String(db.$client.pragma("data_version", { simple: true }));
}
