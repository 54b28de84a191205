// The audit log: who did what to which record, kept for good (rows are never
// updated or deleted). Call inside the write transaction of the change itself,
// so a change and its audit entry are committed together or not at all.
import { auditLog } from "#db/schema";
import { db } from "~/utils/db.server";

export function recordAudit({
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
  db.insert(auditLog).values({ actor, action, subject, details, createdAt: now.toISOString() }).run();
}
