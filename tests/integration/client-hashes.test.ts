// Client addresses are stored only as keyed hashes: under a key per UTC day
// for rate limits and the review rules (deleted after a day or two), and
// under the block list's own key for block entries and held asks.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { appSecrets, asks } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { addBlockListEntry, blockFromAsk } from "~/models/block-list.server";
import { clientHash, deleteOldClientHashKeys } from "~/models/client-hash.server";
import { rejectAsk } from "~/models/review.server";
import { requestSigningLink } from "~/models/signing-link.server";
import { action as signInAction } from "~/routes/staff.sign-in";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import { buildAsk, insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { insertStaffAccount, settle } from "../staff";
import { DAY, HOUR, MINUTE } from "../time";

const t0 = new Date("2030-03-10T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

async function setUp() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidacy = await insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  const ask = async ({ clientIp, email, now = t0 }: { clientIp: string; email: string; now?: Date }) => {
    await insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [candidacy.id], clientIp, email, now });
    return (await db.select().from(asks).where(eq(asks.email, email)).limit(1))[0]!;
  };
  return { seat, candidacy, ask };
}

/** Every way a plain (unkeyed) hash of the text could have been written down. */
function plainHashesOf(text: string) {
  const digest = createHash("sha256").update(text).digest();
  const base64url = digest.toString("base64url");
  return [digest.toString("hex"), base64url, base64url.slice(0, 22), digest.toString("base64")];
}

test("after asks, sign-ins, signing-link requests and rate limits, no client address is stored in clear or as a plain SHA-256", async () => {
  const { seat, candidacy, ask } = await setUp();
  const addresses = ["203.0.113.7", "2001:db8:1:2::7"];
  const networks = ["203.0.113.0/24", "2001:db8:1::/48"];
  const emails = ["held@mailinator.com", "sent@example.org", "pending@example.org"];
  expect((await ask({ clientIp: addresses[0]!, email: emails[0]! })).status).toBe("held");
  expect((await ask({ clientIp: addresses[1]!, email: emails[1]! })).status).toBe("confirmed");
  await submitAsk({
    ask: buildAsk({ constituencyCode: seat.gssCode, candidacyIds: [candidacy.id], email: emails[2]! }),
    clientIp: addresses[0]!,
    now: t0,
  });
  const staff = await insertStaffAccount({ role: "organiser", email: "organiser@campaign.example" });
  for (const clientIp of addresses) {
    await requestSigningLink({ candidacyId: candidacy.id, clientIp, now: t0 });
    const request = new Request("http://localhost/staff/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: staff.email, password: "not the password" }),
    });
    await settle(() => signInAction({ request, params: {}, context: { clientIp } }));
  }

  const stored = JSON.stringify(await snapshotDatabase());
  // The rows were written: the search below is not of an empty database.
  expect(stored).toMatch(/ask-ip-hour:|staff-sign-in:client:|signing-link-ip:/);
  for (const value of [...addresses, ...networks]) {
    expect(stored).not.toContain(value);
    for (const hash of plainHashesOf(value)) expect(stored).not.toContain(hash);
  }
  for (const email of [...emails, staff.email])
    for (const hash of plainHashesOf(email)) expect(stored).not.toContain(hash);
});

test("the day's key changes the hash every UTC day; keys from before yesterday are deleted by the scheduled job", async () => {
  const days = [0, 1, 2, 3].map((d) => at(d * DAY));
  const hashes: string[] = [];
  for (const now of days) hashes.push(await clientHash({ value: "203.0.113.7", now }));
  expect(new Set(hashes).size).toBe(4);
  // Within a day, the same address hashes alike (so hourly limits work).
  expect(await clientHash({ value: "203.0.113.7", now: at(3 * DAY + 10 * HOUR) })).toBe(hashes[3]);

  expect(await deleteOldClientHashKeys({ now: at(3 * DAY) })).toBe(2);
  const names = (await db.select({ name: appSecrets.name }).from(appSecrets))
    .map((s) => s.name)
    .filter((name) => name.startsWith("client-hash:"));
  expect(names.sort()).toEqual(["client-hash:2030-03-12", "client-hash:2030-03-13"]);
  // A key once deleted is never made again the same: the old hashes link to nothing.
  expect(await clientHash({ value: "203.0.113.7", now: days[0]! })).not.toBe(hashes[0]);
});

test("the hourly review rule still holds the sixth ask in an hour from one address", async () => {
  const { ask } = await setUp();
  const rows = [];
  for (let i = 0; i < 6; i++)
    rows.push(await ask({ clientIp: "203.0.113.9", email: `busy${i}@example.org`, now: at(i * 5 * MINUTE) }));
  expect(rows.map((r) => r.status)).toEqual([...Array(5).fill("confirmed"), "held"]);
  expect(rows[5]!.holdReasons).toEqual(["address-volume"]);
});

test("block entries, typed or from a held ask, still match days later, after the day keys are gone", async () => {
  const { ask } = await setUp();
  const reviewer = await insertStaffAccount({ role: "organiser" });
  await addBlockListEntry({
    kind: "address",
    value: "203.0.113.50",
    note: null,
    accountId: null,
    actor: reviewer.email,
    now: t0,
  });
  const held = await ask({ clientIp: "198.51.100.33", email: "first@mailinator.com" });
  expect(held.status).toBe("held");
  expect(held.clientNetworkBlockHash).not.toBeNull();
  expect(
    await blockFromAsk({ askId: held.id, kind: "network", accountId: null, actor: reviewer.email, now: t0 }),
  ).toMatchObject({ outcome: "added" });
  // Decided, the ask can no longer be blocked from: it keeps no block-list hashes.
  await rejectAsk({ askId: held.id, reviewer, now: t0 });
  expect((await db.select().from(asks).where(eq(asks.id, held.id)).limit(1))[0]).toMatchObject({
    clientAddressBlockHash: null,
    clientNetworkBlockHash: null,
  });

  const later = at(5 * DAY);
  await deleteOldClientHashKeys({ now: later });
  expect((await ask({ clientIp: "203.0.113.50", email: "again@example.org", now: later })).holdReasons).toEqual([
    "blocked-address",
  ]);
  expect((await ask({ clientIp: "198.51.100.200", email: "neighbour@example.org", now: later })).holdReasons).toEqual([
    "blocked-network",
  ]);
  const sent = await ask({ clientIp: "192.0.2.1", email: "ordinary@example.org", now: later });
  expect(sent).toMatchObject({ status: "confirmed", clientAddressBlockHash: null, clientNetworkBlockHash: null });
});
