import { writeTransaction } from "#db/index";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { hexes, hexLayouts } from "#db/schema";
import type { HexLayoutKind } from "#db/enums";
import { db } from "~/utils/db.server";

export type HexRecord = { constituencyCode: string; q: number; r: number };

export async function listHexRecords({ layoutId }: { layoutId: string }): Promise<HexRecord[]> {
  return await db
    .select({ constituencyCode: hexes.constituencyCode, q: hexes.q, r: hexes.r })
    .from(hexes)
    .where(eq(hexes.layoutId, layoutId));
}

/** Replaces a layout's hexes with the given set: removed hexes go, moved ones move. */
export async function saveHexLayout({
  id,
  layout,
  source,
  records,
  removed,
  now,
}: {
  id: string;
  layout: HexLayoutKind;
  source: string;
  records: HexRecord[];
  removed: string[];
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    await db
      .insert(hexLayouts)
      .values({ id, layout, source, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: hexLayouts.id, set: { layout, source, updatedAt: at } });
    if (removed.length > 0) {
      await db.delete(hexes).where(and(eq(hexes.layoutId, id), inArray(hexes.constituencyCode, removed)));
    }
    if (records.length === 0) return;
    // Delete then insert the changed ones: moving hexes can swap positions, which
    // an update in place would reject on the unique (q, r) index. Prepared
    // statements run a row, as in saveCandidacyRecords.
    const deleteHex = db
      .delete(hexes)
      .where(and(eq(hexes.layoutId, id), eq(hexes.constituencyCode, sql.placeholder("constituencyCode"))))
      .prepare();
    for (const record of records) await deleteHex.execute(record);
    const insertHex = db
      .insert(hexes)
      .values({
        layoutId: id,
        constituencyCode: sql.placeholder("constituencyCode"),
        q: sql.placeholder("q"),
        r: sql.placeholder("r"),
      })
      .prepare();
    for (const record of records) await insertHex.execute(record);
  });
}

/** The layout the map draws: the most recently imported one. */
export async function findCurrentHexLayout() {
  return (
    await db
      .select({ id: hexLayouts.id, layout: hexLayouts.layout })
      .from(hexLayouts)
      .orderBy(desc(hexLayouts.updatedAt))
      .limit(1)
  )[0];
}
