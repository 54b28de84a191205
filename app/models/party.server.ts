import { sql } from "drizzle-orm";
import { parties } from "#db/schema";
import { db } from "~/utils/db.server";

export type PartyRecord = { id: string; name: string; source: string };

export function listPartyRecords(): PartyRecord[] {
  return db.select({ id: parties.id, name: parties.name, source: parties.source }).from(parties).all();
}

export function savePartyRecords({ records, now }: { records: PartyRecord[]; now: Date }) {
  const at = now.toISOString();
  if (records.length === 0) return;
  db.insert(parties)
    .values(records.map((r) => ({ ...r, createdAt: at, updatedAt: at })))
    .onConflictDoUpdate({
      target: parties.id,
      set: { name: sql`excluded.name`, source: sql`excluded.source`, updatedAt: sql`excluded.updated_at` },
    })
    .run();
}
