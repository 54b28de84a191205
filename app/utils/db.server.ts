import { groupCommit, openDatabase, type Db } from "#db/index";
import { env } from "./env.server";

// One handle per process: the SQLite file, or a pool of PostgreSQL
// connections when DATABASE_URL names one. Kept on globalThis so Vite's dev reloads reuse it
// instead of leaking file handles.
const globalForDb = globalThis as unknown as { pledgeDb?: Db };

export const db: Db = globalForDb.pledgeDb ?? openDatabase({ url: env.DATABASE_URL, file: env.DATABASE_PATH });
globalForDb.pledgeDb = db;

/**
 * For actions under load: runs a model's write in one commit with the other
 * requests of the same moment (groupCommit in db/index.ts), resolving once it
 * is on disk. The model function keeps its own transaction, which becomes a
 * savepoint inside the shared one.
 */
export async function commitWithOthers<T>(write: () => T | Promise<T>): Promise<T> {
  return groupCommit(db, write);
}
