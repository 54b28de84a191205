import { writeTransaction } from "#db/index";
import { sql } from "drizzle-orm";
import { parties } from "#db/schema";
import { db } from "~/utils/db.server";

export type PartyRecord = { id: string; name: string; source: string };

export async function listPartyRecords(): Promise<PartyRecord[]> {
  return await db.select({ id: parties.id, name: parties.name, source: parties.source }).from(parties);
}

export async function savePartyRecords({ records, now }: { records: PartyRecord[]; now: Date }) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    if (records.length === 0) return;
    await db
      .insert(parties)
      .values(records.map((r) => ({ ...r, createdAt: at, updatedAt: at })))
      .onConflictDoUpdate({
        target: parties.id,
        set: { name: sql`excluded.name`, source: sql`excluded.source`, updatedAt: sql`excluded.updated_at` },
      });
  });
}
