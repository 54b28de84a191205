// The campaign's block list: asks from a listed email, domain, client address
// or network are held for a person at confirmation (never silently dropped).
// Addresses and networks are kept only as keyed hashes under the block list's
// own key (app/models/client-hash.server.ts), which held asks carry too; every
// change is audited by entry id, never by what it matches.
import { isIP } from "node:net";
import { and, asc, eq, or } from "drizzle-orm";
import { blockListKinds, type BlockListKind } from "#db/enums";
import { writeTransaction } from "#db/index";
import { asks, blockList, staffAccounts } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { networkOf } from "~/utils/client-network.server";
import { blockListHash } from "~/models/client-hash.server";

/** What a typed entry matches, or why it cannot be one. */
export async function blockListKeyOf({ kind, value }: { kind: BlockListKind; value: string }) {
  const typed = value.trim().toLowerCase();
  if (kind === "email") {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed))
      return { error: "Enter an email address in the correct format, like name@example.org" };
    return { matchKey: typed, label: typed };
  }
  if (kind === "domain") {
    const domain = typed.replace(/^@/, "");
    if (!/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(domain)) return { error: "Enter a domain, like example.org" };
    return { matchKey: domain, label: domain };
  }
  if (kind === "address") {
    if (isIP(typed) === 0) return { error: "Enter an IP address, like 203.0.113.7 or 2001:db8::7" };
    return { matchKey: await blockListHash(typed), label: typed };
  }
  const network = networkOf(typed.replace(/\/(24|48)$/, ""));
  if (!network) return { error: "Enter a network as an address in it, like 203.0.113.0/24 or 2001:db8:1::/48" };
  return { matchKey: await blockListHash(network), label: network };
}

async function insertEntry({
  kind,
  matchKey,
  label,
  note,
  accountId,
  actor,
  now,
}: {
  kind: BlockListKind;
  matchKey: string;
  label: string;
  note: string | null;
  accountId: number | null;
  actor: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const inserted = (
      await db
        .insert(blockList)
        .values({ kind, matchKey, label, note, createdBy: accountId, createdAt: now.toISOString() })
        .onConflictDoNothing()
        .returning({ id: blockList.id })
    )[0];
    if (!inserted) return { outcome: "already-listed" as const };
    await recordAudit({
      actor,
      action: "block-list.add",
      subject: `block-list:${inserted.id}`,
      details: { kind },
      now,
    });
    return { outcome: "added" as const, id: inserted.id };
  });
}

/** Adds an entry staff typed: an email, a domain, an IP address or a network. */
export async function addBlockListEntry({
  kind,
  value,
  note,
  accountId,
  actor,
  now,
}: {
  kind: BlockListKind;
  value: string;
  note: string | null;
  accountId: number | null;
  actor: string;
  now: Date;
}) {
  const key = await blockListKeyOf({ kind, value });
  if ("error" in key) return { outcome: "invalid" as const, error: key.error };
  return writeTransaction(db, async () => insertEntry({ kind, ...key, note, accountId, actor, now }));
}

/**
 * Blocks what an ask came from: its email, its email's domain, or (never
 * seen in clear) its client address or network, labelled by the ask.
 */
export async function blockFromAsk({
  askId,
  kind,
  accountId,
  actor,
  now,
}: {
  askId: number;
  kind: BlockListKind;
  accountId: number | null;
  actor: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const ask = (
      await db
        .select({ email: asks.email, address: asks.clientAddressBlockHash, network: asks.clientNetworkBlockHash })
        .from(asks)
        .where(eq(asks.id, askId))
        .limit(1)
    )[0];
    if (!ask) return { outcome: "not-found" as const };
    const domain = ask.email.split("@").at(-1) ?? "";
    const entry =
      kind === "email"
        ? { matchKey: ask.email, label: ask.email }
        : kind === "domain"
          ? { matchKey: domain, label: domain }
          : kind === "address"
            ? { matchKey: ask.address, label: `the client address of ask ${askId}` }
            : { matchKey: ask.network, label: `the network of ask ${askId}` };
    if (!entry.matchKey) return { outcome: "not-found" as const };
    return insertEntry({
      kind,
      matchKey: entry.matchKey,
      label: entry.label,
      note: `From ask ${askId}`,
      accountId,
      actor,
      now,
    });
  });
}

export async function removeBlockListEntry({ id, actor, now }: { id: number; actor: string; now: Date }) {
  return writeTransaction(db, async () => {
    const removed = (await db.delete(blockList).where(eq(blockList.id, id)).returning({ kind: blockList.kind }))[0]!;
    if (!removed) return { outcome: "not-found" as const };
    await recordAudit({
      actor,
      action: "block-list.remove",
      subject: `block-list:${id}`,
      details: { kind: removed.kind },
      now,
    });
    return { outcome: "removed" as const };
  });
}

export async function listBlockList() {
  return await db
    .select({
      id: blockList.id,
      kind: blockList.kind,
      label: blockList.label,
      note: blockList.note,
      createdAt: blockList.createdAt,
      createdBy: staffAccounts.email,
    })
    .from(blockList)
    .leftJoin(staffAccounts, eq(staffAccounts.id, blockList.createdBy))
    .orderBy(asc(blockList.kind), asc(blockList.label));
}

/** Which kinds of entry an ask matches, from what it was made with. */
export async function blockListMatches({
  email,
  clientAddressBlockHash,
  clientNetworkBlockHash,
}: {
  email: string;
  clientAddressBlockHash: string | null;
  clientNetworkBlockHash: string | null;
}) {
  const domain = email.split("@").at(-1) ?? "";
  // A listed domain covers its subdomains too: "mail.spam.example" is spam.example's.
  const labels = domain.split(".");
  const domains = labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
  const candidates: [BlockListKind, string | null][] = [
    ["email", email],
    ...domains.map((d): [BlockListKind, string] => ["domain", d]),
    ["address", clientAddressBlockHash],
    ["network", clientNetworkBlockHash],
  ];
  const wanted = candidates.filter((c): c is [BlockListKind, string] => c[1] !== null);
  // One indexed read for every key an ask could be blocked by: this runs on every confirmation.
  const hits = await db
    .select({ kind: blockList.kind })
    .from(blockList)
    .where(or(...wanted.map(([kind, key]) => and(eq(blockList.kind, kind), eq(blockList.matchKey, key)))));
  // In the list's own order, so staff read the reasons the same way every time.
  return blockListKinds.filter((kind) => hits.some((h) => h.kind === kind));
}
