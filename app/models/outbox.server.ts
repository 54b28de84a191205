import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lte, notInArray, or, sql } from "drizzle-orm";
import { writeTransaction, preparedPerConnection, changedRows } from "#db/index";
import { outbox } from "#db/schema";
import { outboxStatuses, type MailKind, type OutboxStatus } from "#db/enums";
import { claimingSkipLocked, likeAnyCase } from "#db/dialect";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { withoutNul } from "~/utils/fields";
import { likeContaining } from "~/utils/like-pattern";
import { pageWindow } from "~/utils/paging";
import { env } from "~/utils/env.server";
import { HOUR } from "~/utils/time";
import { redactLinkTokens } from "~/utils/tokens.server";

// Retries: 1 min, 2, 4 … capped at an hour; the 8th failed attempt gives up
// (about two and a half hours after the first), which rides out a typical
// SMTP outage but leaves a visible failed row instead of retrying for ever.
export const maxSendAttempts = 8;
const firstRetryMs = 60_000;
const maxRetryMs = 60 * 60_000;

// While a row is `sending`, nextAttemptAt holds the claim's expiry. A live
// worker renews its claims every third of this while the sends are in flight
// (renewClaimedMail), so its claim is never taken over however slow the SMTP
// server; a worker killed mid-send stops renewing, and its mail goes back to
// the queue this long after the last renewal. Short, so a crash delays mail by
// well under a minute. MAIL_SENDING_LEASE_MS overrides it, for the server's
// worker and `npm run worker` alike.
export const sendingLeaseMs = env.MAIL_SENDING_LEASE_MS ?? 30_000;

// Message-IDs name the site they come from (RFC 5322 asks for a unique right-hand side).
const messageIdDomain = new URL(env.PUBLIC_URL).hostname || "localhost";

export type OutboxMessage = {
  id: number;
  toAddress: string;
  toName: string | null;
  replyTo: string | null;
  subject: string;
  textBody: string;
  /** A supporter's mail: the one-click unsubscribe URL for List-Unsubscribe. */
  listUnsubscribe: string | null;
  messageId: string;
  attempts: number;
  /** When the mail was queued: its Date header, the same on every attempt. */
  createdAt: string;
};

function prepareEnqueue() {
  return db
    .insert(outbox)
    .values({
      kind: sql.placeholder("kind"),
      toAddress: sql.placeholder("toAddress"),
      toName: sql.placeholder("toName"),
      replyTo: sql.placeholder("replyTo"),
      subject: sql.placeholder("subject"),
      textBody: sql.placeholder("textBody"),
      listUnsubscribe: sql.placeholder("listUnsubscribe"),
      messageId: sql.placeholder("messageId"),
      status: sql.placeholder("status"),
      attempts: 0,
      nextAttemptAt: sql.placeholder("at"),
      askId: sql.placeholder("askId"),
      candidacyId: sql.placeholder("candidacyId"),
      createdAt: sql.placeholder("at"),
    })
    .returning({ id: outbox.id })
    .prepare();
}
// Every mail goes through here, several per confirmed ask: prepared once, on first use.
const enqueueStatement = preparedPerConnection(db, prepareEnqueue);

/**
 * Queues one mail. Callers wrap it in the write transaction that makes the
 * change the mail reports, so the two commit or roll back together.
 */
export async function enqueueMail({
  kind,
  toAddress,
  toName = null,
  replyTo = null,
  subject,
  textBody,
  listUnsubscribe = null,
  askId = null,
  candidacyId = null,
  status = "queued",
  now,
}: {
  kind: MailKind;
  toAddress: string;
  toName?: string | null;
  replyTo?: string | null;
  subject: string;
  textBody: string;
  /** For a supporter's mail (supporterMailKinds): their one-click unsubscribe URL (issueSupporterLink). */
  listUnsubscribe?: string | null;
  askId?: number | null;
  candidacyId?: number | null;
  /** "held": written now, sent only once a person releases it (the review queue). */
  status?: "queued" | "held";
  now: Date;
}): Promise<number> {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    // Fixed here, not at send time, so every retry of this row carries the same Message-ID.
    const messageId = `<outbox.${now.getTime().toString(36)}.${randomBytes(12).toString("hex")}@${messageIdDomain}>`;
    const [row] = await enqueueStatement().execute({
      kind,
      // As the mail will be sent: a header's control characters become spaces,
      // a body's go; an address with one stays unsendable.
      ...withoutNul({ toName, subject }, " "),
      textBody: withoutNul(textBody),
      ...withoutNul({ toAddress, replyTo }, "\uFFFD"),
      listUnsubscribe,
      messageId,
      at,
      askId,
      candidacyId,
      status,
    });
    return row!.id;
  });
}

/**
 * Takes up to `limit` due mails for sending. The IMMEDIATE transaction means
 * two workers (in the server and `npm run worker`) never take the same row.
 * The attempt is counted here, so a worker that dies mid-send still uses one up.
 */
export async function claimDueMail({
  now,
  limit,
  leaseMs = sendingLeaseMs,
}: {
  now: Date;
  limit: number;
  leaseMs?: number;
}): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  return writeTransaction(db, async () => {
    const due = await claimingSkipLocked(
      db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, at)))
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
        .limit(limit),
    );
    if (due.length === 0) return [];
    return (
      await db
        .update(outbox)
        .set({
          status: "sending",
          attempts: sql`${outbox.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + leaseMs).toISOString(),
        })
        .where(
          and(
            inArray(
              outbox.id,
              due.map((d) => d.id),
            ),
            eq(outbox.status, "queued"),
          ),
        )
        .returning({
          id: outbox.id,
          toAddress: outbox.toAddress,
          toName: outbox.toName,
          replyTo: outbox.replyTo,
          subject: outbox.subject,
          textBody: outbox.textBody,
          listUnsubscribe: outbox.listUnsubscribe,
          messageId: outbox.messageId,
          attempts: outbox.attempts,
          createdAt: outbox.createdAt,
        })
    ).sort((a, b) => a.id - b.id);
  });
}

export async function markSent({ id, now }: { id: number; now: Date }) {
  await writeTransaction(db, async () => {
    const row = (await db.select({ textBody: outbox.textBody }).from(outbox).where(eq(outbox.id, id)).limit(1))[0];
    await db
      .update(outbox)
      .set({
        status: "sent",
        sentAt: now.toISOString(),
        lastError: null,
        // Link tokens are otherwise kept only as hashes; the queued mail was
        // their one plain copy, needed until it went. Once sent, strike it out
        // of the body and drop the List-Unsubscribe URL that carries one too.
        textBody: redactLinkTokens(row?.textBody ?? ""),
        listUnsubscribe: null,
      })
      .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
  });
}

/** The wait before the next try after `attempts` failed ones: 1 min, doubling, at most an hour. */
export function retryDelayMs({ attempts }: { attempts: number }) {
  return Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), maxRetryMs);
}

/** A temporary failure (4xx, connection refused, timeout): try again later, or give up after the last attempt. */
export async function markRetry({ id, error, now }: { id: number; error: string; now: Date }) {
  await writeTransaction(db, async () => {
    const row = (
      await db
        .select({ attempts: outbox.attempts })
        .from(outbox)
        .where(and(eq(outbox.id, id), eq(outbox.status, "sending")))
        .limit(1)
    )[0];
    if (!row) return;
    const giveUp = row.attempts >= maxSendAttempts;
    await db
      .update(outbox)
      .set({
        status: giveUp ? "failed" : "queued",
        lastError: giveUp ? `Gave up after ${row.attempts} attempts. Last error: ${error}` : error,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs({ attempts: row.attempts })).toISOString(),
      })
      .where(eq(outbox.id, id));
  });
}

/** A permanent failure (an SMTP 5xx, an unusable address): retrying would get the same answer. */
export async function markFailed({ id, error }: { id: number; error: string }) {
  return writeTransaction(db, async () => {
    await db
      .update(outbox)
      .set({ status: "failed", lastError: error })
      .where(and(eq(outbox.id, id), eq(outbox.status, "sending")));
  });
}

/**
 * The heartbeat of a worker with sends in flight: pushes its claims' expiry
 * on, so another worker's requeueStuckMail leaves them alone. Rows no longer
 * `sending` (already marked) are not touched.
 */
export async function renewClaimedMail({
  ids,
  now,
  leaseMs = sendingLeaseMs,
}: {
  ids: number[];
  now: Date;
  leaseMs?: number;
}) {
  return writeTransaction(db, async () => {
    if (ids.length === 0) return;
    await db
      .update(outbox)
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs).toISOString() })
      .where(and(inArray(outbox.id, ids), eq(outbox.status, "sending")));
  });
}

/**
 * Puts back mail whose worker died mid-send (its claim expired). It may have
 * reached the server already; the resend carries the same Message-ID, so the
 * receiving side can tell it is the same message.
 */
export async function requeueStuckMail({ now }: { now: Date }): Promise<number> {
  const at = now.toISOString();
  return writeTransaction(db, async () => {
    const stuck = and(eq(outbox.status, "sending"), lte(outbox.nextAttemptAt, at));
    const error = "The worker stopped while sending this message.";
    const failed = changedRows(
      await db
        .update(outbox)
        .set({ status: "failed", lastError: `Gave up after ${maxSendAttempts} attempts. Last error: ${error}` })
        .where(and(stuck, sql`${outbox.attempts} >= ${maxSendAttempts}`)),
    );
    const requeued = changedRows(
      await db.update(outbox).set({ status: "queued", lastError: error, nextAttemptAt: at }).where(stuck),
    );
    return failed + requeued;
  });
}

/** How many mails are in each state, every state present (zero when none). */
export async function countOutboxByStatus(): Promise<Record<OutboxStatus, number>> {
  const rows = await db.select({ status: outbox.status, count: count() }).from(outbox).groupBy(outbox.status);
  const counts = Object.fromEntries(outboxStatuses.map((status) => [status, 0])) as Record<OutboxStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

/** Failed mail, and mail waiting to be retried, newest first: what staff need to look at. */
export async function listOutboxProblems({ limit = 50 }: { limit?: number } = {}) {
  return await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(or(eq(outbox.status, "failed"), and(eq(outbox.status, "queued"), isNotNull(outbox.lastError))))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
}

/**
 * Hands back claimed mail that was never handed to the transport (the worker
 * is stopping), without using up an attempt.
 */
export async function releaseClaimedMail({ ids, now }: { ids: number[]; now: Date }) {
  return writeTransaction(db, async () => {
    if (ids.length === 0) return;
    await db
      .update(outbox)
      .set({ status: "queued", attempts: sql`${outbox.attempts} - 1`, nextAttemptAt: now.toISOString() })
      .where(and(inArray(outbox.id, ids), eq(outbox.status, "sending")));
  });
}

function prepareMailsInLastHour() {
  return db
    .select({ n: count() })
    .from(outbox)
    .where(
      and(
        eq(outbox.candidacyId, sql.placeholder("candidacyId")),
        inArray(outbox.kind, ["candidate-ask", "candidate-digest"]),
        // Held and cancelled mail may never reach the candidate: a flood of
        // held asks must not push real ones into the digest.
        notInArray(outbox.status, ["held", "cancelled"]),
        gt(outbox.createdAt, sql.placeholder("since")),
      ),
    )
    .prepare();
}
const mailsInLastHourQuery = preparedPerConnection(db, prepareMailsInLastHour);

/** Ask and digest mails written to one candidate in the hour before now (the campaign's hourly cap). */
export async function countCandidateMailsInLastHour({ candidacyId, now }: { candidacyId: number; now: Date }) {
  const [row] = await mailsInLastHourQuery().execute({
    candidacyId,
    since: new Date(now.getTime() - HOUR).toISOString(),
  });
  return row?.n ?? 0;
}

// The staff console's view of the outbox. Organisers see what was written to
// whom and may retry a failed mail or stop one before it goes; each change is
// audited with the row's id only, never the address it was going to.

export type StaffOutboxRow = {
  id: number;
  kind: MailKind;
  toAddress: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
  createdAt: string;
};

/**
 * One page of the outbox, newest first, optionally of one status and kind and
 * to a recipient whose address or name contains `recipient` (any case). A
 * page past the end shows the last page.
 */
export async function listOutboxForStaff({
  status,
  kind,
  recipient,
  page,
  pageSize = 50,
}: {
  status?: OutboxStatus;
  kind?: MailKind;
  recipient?: string;
  page: number;
  pageSize?: number;
}): Promise<{ rows: StaffOutboxRow[]; total: number; page: number; pageCount: number }> {
  const search = recipient?.trim();
  const pattern = search ? likeContaining(search) : undefined;
  // SQLite's LIKE ignores case (for ASCII letters, as email addresses are).
  const where = and(
    status ? eq(outbox.status, status) : undefined,
    kind ? eq(outbox.kind, kind) : undefined,
    pattern ? or(likeAnyCase(outbox.toAddress, pattern), likeAnyCase(outbox.toName, pattern)) : undefined,
  );
  const total = (await db.select({ n: count() }).from(outbox).where(where).limit(1))[0]?.n ?? 0;
  const { page: current, pageCount, offset } = pageWindow({ total, page, pageSize });
  const rows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      sentAt: outbox.sentAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(where)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(pageSize)
    .offset(offset);
  return { rows, total, page: current, pageCount };
}

/**
 * One mail as staff may read it, or null. A mail not yet sent still holds its
 * link tokens in clear; they are struck out here, so no one in the console can
 * confirm an ask or sign a pledge on someone else's behalf.
 */
export async function findOutboxMessageForStaff({ id }: { id: number }) {
  const row = (
    await db
      .select({
        id: outbox.id,
        kind: outbox.kind,
        toAddress: outbox.toAddress,
        toName: outbox.toName,
        replyTo: outbox.replyTo,
        subject: outbox.subject,
        textBody: outbox.textBody,
        messageId: outbox.messageId,
        status: outbox.status,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
        nextAttemptAt: outbox.nextAttemptAt,
        sentAt: outbox.sentAt,
        createdAt: outbox.createdAt,
      })
      .from(outbox)
      .where(eq(outbox.id, id))
      .limit(1)
  )[0];
  if (!row) return null;
  return { ...row, textBody: redactLinkTokens(row.textBody) };
}

/**
 * Puts a failed mail back in the queue for a fresh run of attempts, due now.
 * Its last error stays, so staff can still see why it failed before.
 */
export async function retryFailedMail({
  id,
  actor,
  now,
}: {
  id: number;
  actor: string;
  now: Date;
}): Promise<"retried" | "not-failed" | "not-found"> {
  return writeTransaction(db, async () => {
    const retried = (
      await db
        .update(outbox)
        .set({ status: "queued", attempts: 0, nextAttemptAt: now.toISOString() })
        .where(and(eq(outbox.id, id), eq(outbox.status, "failed")))
        .returning({ kind: outbox.kind })
    )[0]!;
    if (!retried) return (await outboxRowExists({ id })) ? "not-failed" : "not-found";
    await recordAudit({ actor, action: "outbox.retry", subject: `outbox:${id}`, details: { kind: retried.kind }, now });
    return "retried";
  });
}

// Only mail no worker has taken: a mail being sent may already be at the
// mail server, so cancelling it would claim a stop that did not happen.
const cancellableStatuses = ["queued", "held"] as const satisfies readonly OutboxStatus[];

/** Stops a mail that has not gone yet; the worker never claims a cancelled row. */
export async function cancelMail({
  id,
  actor,
  now,
}: {
  id: number;
  actor: string;
  now: Date;
}): Promise<"cancelled" | "not-cancellable" | "not-found"> {
  return writeTransaction(db, async () => {
    const before = (
      await db.select({ kind: outbox.kind, status: outbox.status }).from(outbox).where(eq(outbox.id, id)).limit(1)
    )[0];
    if (!before) return "not-found";
    const cancelled = changedRows(
      await db
        .update(outbox)
        .set({ status: "cancelled" })
        .where(and(eq(outbox.id, id), inArray(outbox.status, cancellableStatuses))),
    );
    if (cancelled === 0) return "not-cancellable";
    await recordAudit({
      actor,
      action: "outbox.cancel",
      subject: `outbox:${id}`,
      details: { kind: before.kind, from: before.status },
      now,
    });
    return "cancelled";
  });
}

async function outboxRowExists({ id }: { id: number }) {
  return (await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.id, id)).limit(1))[0] !== undefined;
}

/**
 * The outbox rows about one person: their asks' mails, and any mail to them or
 * naming them as reply-to. Erasure and the subject access export must agree on it.
 */
export function outboxAboutPerson({ askIds, email }: { askIds: number[]; email: string }) {
  return or(
    askIds.length > 0 ? inArray(outbox.askId, askIds) : undefined,
    eq(outbox.toAddress, email),
    eq(outbox.replyTo, email),
  );
}
