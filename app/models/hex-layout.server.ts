import { and, desc, eq, inArray } from "drizzle-orm";
import { hexes, hexLayouts, type HexLayoutKind } from "#db/schema";
import { db } from "~/utils/db.server";

export type HexRecord = { constituencyCode: string; q: number; r: number };

export function findHexLayout({ id }: { id: string }) {
  return db.select({ id: hexLayouts.id, layout: hexLayouts.layout }).from(hexLayouts).where(eq(hexLayouts.id, id)).get();
}

export function listHexRecords({ layoutId }: { layoutId: string }): HexRecord[] {
  return db
    .select({ constituencyCode: hexes.constituencyCode, q: hexes.q, r: hexes.r })
    .from(hexes)
    .where(eq(hexes.layoutId, layoutId))
    .all();
}

/** Replaces a layout's hexes with the given set: removed hexes go, moved ones move. */
export function saveHexLayout({
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
  now: string;
}) {
  db.insert(hexLayouts)
    .values({ id, layout, source, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: hexLayouts.id, set: { layout, source, updatedAt: now } })
    .run();
  if (removed.length > 0) {
    db.delete(hexes).where(and(eq(hexes.layoutId, id), inArray(hexes.constituencyCode, removed))).run();
  }
  // Delete then insert the changed ones: moving hexes can swap positions, which
  // an update in place would reject on the unique (q, r) index.
  const codes = records.map((r) => r.constituencyCode);
  for (let i = 0; i < codes.length; i += 500) {
    db.delete(hexes).where(and(eq(hexes.layoutId, id), inArray(hexes.constituencyCode, codes.slice(i, i + 500)))).run();
  }
  for (let i = 0; i < records.length; i += 500) {
    db.insert(hexes)
      .values(records.slice(i, i + 500).map((r) => ({ ...r, layoutId: id })))
      .run();
  }
}

/** The layout the map draws: the most recently imported one. */
export function findCurrentHexLayout() {
  return db
    .select({ id: hexLayouts.id, layout: hexLayouts.layout })
    .from(hexLayouts)
    .orderBy(desc(hexLayouts.updatedAt))
    .limit(1)
    .get();
}
