// The audit log: who did what to which record, kept for good (rows are never
// updated or deleted). Call inside the write transaction of the change itself,
// so a change and its audit entry are committed together or not at all.
import { writeTransaction } from "#db/index";
import { and, asc, count, desc, eq, gte, lt } from "drizzle-orm";
import { auditLog } from "#db/schema";
import { db } from "~/utils/db.server";
import { pageWindow } from "~/utils/paging";
import { addDays, startOfLondonDay } from "~/utils/london-day";

export async function recordAudit({
  actor,
  action,
  subject,
  details,
  now,
}: {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    await db.insert(auditLog).values({ actor, action, subject, details, createdAt: now.toISOString() });
  });
}

export type AuditEntry = {
  id: number;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  createdAt: string;
};

// Actions are named `noun.verb` ("outbox.cancel"), so "outbox." asks for every
// action on the outbox. A range rather than LIKE: it uses the action index,
// and a `_` in an action name is not a wildcard. "/" is the character after
// "." so the range ends just past the last "outbox.…".
function actionMatches(action: string) {
  if (!action.endsWith(".")) return eq(auditLog.action, action);
  return and(gte(auditLog.action, action), lt(auditLog.action, `${action.slice(0, -1)}/`));
}

/**
 * One page of the audit log, newest first. `from` and `to` are calendar days
 * ("YYYY-MM-DD") in London, both included, as staff reading the log think of
 * them; `action` ending in "." matches every action it begins. A page past the
 * end shows the last page.
 */
export async function listAuditLog({
  actor,
  action,
  from,
  to,
  page,
  pageSize = 50,
}: {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize?: number;
}): Promise<{ rows: AuditEntry[]; total: number; page: number; pageCount: number }> {
  const where = and(
    actor ? eq(auditLog.actor, actor) : undefined,
    action ? actionMatches(action) : undefined,
    from ? gte(auditLog.createdAt, startOfLondonDay(from).toISOString()) : undefined,
    to ? lt(auditLog.createdAt, startOfLondonDay(addDays(to, 1)).toISOString()) : undefined,
  );
  const total = (await db.select({ n: count() }).from(auditLog).where(where).limit(1))[0]?.n ?? 0;
  const { page: current, pageCount, offset } = pageWindow({ total, page, pageSize });
  const rows = await db
    .select({
      id: auditLog.id,
      actor: auditLog.actor,
      action: auditLog.action,
      subject: auditLog.subject,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(pageSize)
    .offset(offset);
  return { rows, total, page: current, pageCount };
}

/** Everyone who has an entry in the log, sorted, for the log's filter. */
export async function listAuditActors(): Promise<string[]> {
  return (await db.selectDistinct({ actor: auditLog.actor }).from(auditLog).orderBy(asc(auditLog.actor))).map(
    (r) => r.actor,
  );
}

/** Every action in the log, sorted, for the log's filter. */
export async function listAuditActions(): Promise<string[]> {
  return (await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action))).map(
    (r) => r.action,
  );
}
