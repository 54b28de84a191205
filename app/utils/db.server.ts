import { createDb, type Db } from "#db/index";
import { env } from "./env.server";

// One connection per process. Kept on globalThis so Vite's dev reloads reuse it
// instead of leaking file handles.
const globalForDb = globalThis as unknown as { pledgeDb?: Db };

export const db: Db = globalForDb.pledgeDb ?? createDb(env.DATABASE_PATH);
globalForDb.pledgeDb = db;
