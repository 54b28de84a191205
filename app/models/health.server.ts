import { pingDb } from "#db/index";
import { db } from "~/utils/db.server";

export async function checkDatabase() {
  await pingDb(db);
}
