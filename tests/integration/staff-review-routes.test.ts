// The review queue, block list and public-list pages: who may use them, and
// that a forged post changes nothing.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { asks, auditLog, blockList } from "#db/schema";
import { action as blockListAction, loader as blockListLoader } from "~/routes/staff.block-list";
import { action as publicListAction, loader as publicListLoader } from "~/routes/staff.public-list";
import { action as askAction, loader as askLoader } from "~/routes/staff.review.$id";
import { action as queueAction, loader as queueLoader } from "~/routes/staff.review._index";
import { db } from "~/utils/db.server";
import { outboxRows } from "../db";
import { insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const base = "http://localhost";

async function heldAsk() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidate = await insertCandidacy({ constituency: seat, email: "ruth@example.net" });
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: [candidate.id],
    email: "someone@mailinator.com",
    name: "Sam Troll",
    showOnPublicList: true,
  });
  return (await db.select().from(asks).limit(1))[0]!;
}

/** The audit log but for the sign-ins the test's staff sessions made and the test's campaign set-up. */
async function reviewAudits() {
  return (await db.select().from(auditLog)).filter(
    (a) => a.action !== "staff.sign-in" && a.actor !== "npm run campaign",
  );
}

async function statusOf(id: number) {
  return (await db.select({ status: asks.status }).from(asks).where(eq(asks.id, id)).limit(1))[0]!.status;
}

const loaders = [
  ["/staff/review", queueLoader, {}],
  ["/staff/block-list", blockListLoader, {}],
  ["/staff/public-list", publicListLoader, {}],
] as const;

test("signed out, each page sends you to sign in; a viewer gets a 403; an organiser sees the held ask", async () => {
  const ask = await heldAsk();
  for (const [path, loader, params] of loaders) {
    const signedOut = (await settle(async () =>
      loader({ request: staffGet(`${base}${path}`), params, context: {} }),
    )) as Response;
    expect(signedOut.headers.get("Location"), path).toBe(`/staff/sign-in?next=${encodeURIComponent(path)}`);
  }
  const viewer = await signedInStaff("viewer");
  for (const [path, loader, params] of loaders) {
    const refused = (await settle(async () =>
      loader({ request: staffGet(`${base}${path}`, viewer), params, context: {} }),
    )) as Response;
    expect(refused.status, path).toBe(403);
  }
  const organiser = await signedInStaff("organiser");
  const page = (await queueLoader({
    request: staffGet(`${base}/staff/review`, organiser),
    params: {},
    context: {},
  })) as {
    data: { held: { id: number; holdReasons: string[] }[] };
    init: ResponseInit;
  };
  expect(page.data.held.map((a) => [a.id, a.holdReasons])).toEqual([[ask.id, ["disposable-domain"]]]);
  expect(new Headers(page.init.headers).get("Cache-Control")).toBe("no-store");
});

test("a viewer cannot release, reject, block or hide", async () => {
  const ask = await heldAsk();
  const viewer = await signedInStaff("viewer");
  const posts: (() => Promise<unknown>)[] = [
    () =>
      queueAction({
        request: staffPost(`${base}/staff/review`, viewer, { intent: "release", askId: String(ask.id) }),
        params: {},
        context: {},
      }),
    () =>
      askAction({
        request: staffPost(`${base}/staff/review/${ask.id}`, viewer, { intent: "reject" }),
        params: { id: String(ask.id) },
        context: {},
      }),
    () =>
      askAction({
        request: staffPost(`${base}/staff/review/${ask.id}`, viewer, { intent: "block-network" }),
        params: { id: String(ask.id) },
        context: {},
      }),
    () =>
      blockListAction({
        request: staffPost(`${base}/staff/block-list`, viewer, { kind: "domain", value: "spam.example" }),
        params: {},
        context: {},
      }),
    () =>
      publicListAction({
        request: staffPost(`${base}/staff/public-list`, viewer, { intent: "hide", askId: String(ask.id) }),
        params: {},
        context: {},
      }),
  ];
  for (const post of posts) expect(((await settle(post)) as Response).status).toBe(403);
  expect(await statusOf(ask.id)).toBe("held");
  expect(await db.select().from(blockList)).toEqual([]);
  expect(await reviewAudits()).toEqual([]);
});

test("forged posts (no token, a wrong token, another origin) to every review action change nothing", async () => {
  const ask = await heldAsk();
  const organiser = await signedInStaff("organiser");
  const forgeries = [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }];
  for (const forgery of forgeries) {
    const posts: (() => Promise<unknown>)[] = [
      () =>
        queueAction({
          request: staffPost(`${base}/staff/review`, organiser, { intent: "release", askId: String(ask.id) }, forgery),
          params: {},
          context: {},
        }),
      () =>
        askAction({
          request: staffPost(`${base}/staff/review/${ask.id}`, organiser, { intent: "reject" }, forgery),
          params: { id: String(ask.id) },
          context: {},
        }),
      () =>
        askAction({
          request: staffPost(`${base}/staff/review/${ask.id}`, organiser, { intent: "block-email" }, forgery),
          params: { id: String(ask.id) },
          context: {},
        }),
      () =>
        blockListAction({
          request: staffPost(`${base}/staff/block-list`, organiser, { kind: "domain", value: "spam.example" }, forgery),
          params: {},
          context: {},
        }),
      () =>
        publicListAction({
          request: staffPost(
            `${base}/staff/public-list`,
            organiser,
            { intent: "hide", askId: String(ask.id) },
            forgery,
          ),
          params: {},
          context: {},
        }),
    ];
    for (const post of posts) expect(((await settle(post)) as Response).status).toBe(403);
  }
  expect(await statusOf(ask.id)).toBe("held");
  expect(await db.select().from(blockList)).toEqual([]);
  expect(await reviewAudits()).toEqual([]);
});

test("an organiser releases a held ask from the queue, and its mail is queued", async () => {
  const ask = await heldAsk();
  const organiser = await signedInStaff("organiser");
  const response = (await settle(() =>
    queueAction({
      request: staffPost(`${base}/staff/review`, organiser, { intent: "release", askId: String(ask.id) }),
      params: {},
      context: {},
    }),
  )) as Response;
  expect(response.headers.get("Location")).toBe(`/staff/review?released=${ask.id}`);
  expect(await statusOf(ask.id)).toBe("confirmed");
  expect((await outboxRows("candidate-ask")).map((m) => m.status)).toEqual(["queued"]);
  expect((await db.select().from(auditLog).where(eq(auditLog.action, "review.release")).limit(1))[0]?.actor).toBe(
    organiser.account.email,
  );
});

test("an organiser blocks a held ask's network, then rejects it", async () => {
  const ask = await heldAsk();
  const organiser = await signedInStaff("organiser");
  const page = (await askLoader({
    request: staffGet(`${base}/staff/review/${ask.id}`, organiser),
    params: { id: String(ask.id) },
    context: {},
  })) as {
    data: { ask: { email: string; domain: string } };
  };
  expect(page.data.ask.domain).toBe("mailinator.com");
  const blocked = (await settle(() =>
    askAction({
      request: staffPost(`${base}/staff/review/${ask.id}`, organiser, { intent: "block-network" }),
      params: { id: String(ask.id) },
      context: {},
    }),
  )) as Response;
  expect(blocked.headers.get("Location")).toBe(`/staff/review/${ask.id}?blocked=network`);
  expect(await db.select({ kind: blockList.kind, label: blockList.label }).from(blockList)).toEqual([
    { kind: "network", label: `the network of ask ${ask.id}` },
  ]);
  const rejected = (await settle(() =>
    askAction({
      request: staffPost(`${base}/staff/review/${ask.id}`, organiser, { intent: "reject" }),
      params: { id: String(ask.id) },
      context: {},
    }),
  )) as Response;
  expect(rejected.headers.get("Location")).toBe(`/staff/review?rejected=${ask.id}`);
  expect(await statusOf(ask.id)).toBe("rejected");
  // Decided: its page goes back to the queue.
  const gone = (await settle(async () =>
    askLoader({
      request: staffGet(`${base}/staff/review/${ask.id}`, organiser),
      params: { id: String(ask.id) },
      context: {},
    }),
  )) as Response;
  expect(gone.headers.get("Location")).toBe("/staff/review");
});

test("the block-list form says what is wrong with a bad entry and keeps what was typed", async () => {
  const organiser = await signedInStaff("organiser");
  const bad = (await blockListAction({
    request: staffPost(`${base}/staff/block-list`, organiser, { intent: "add", kind: "address", value: "300.1.1.1" }),
    params: {},
    context: {},
  })) as { data: { errors: Record<string, string>; values: { value: string } }; init: ResponseInit };
  expect(bad.init.status).toBe(400);
  expect(bad.data.errors.value).toMatch(/Enter an IP address/);
  expect(bad.data.values.value).toBe("300.1.1.1");
  const none = (await blockListAction({
    request: staffPost(`${base}/staff/block-list`, organiser, { intent: "add", value: "x" }),
    params: {},
    context: {},
  })) as { data: { errors: Record<string, string> } };
  expect(none.data.errors.kind).toBe("Select what to block");
  expect(await db.select().from(blockList)).toEqual([]);
});

test("an organiser hides a name from the public list", async () => {
  const ask = await heldAsk();
  const organiser = await signedInStaff("organiser");
  await settle(() =>
    queueAction({
      request: staffPost(`${base}/staff/review`, organiser, { intent: "release", askId: String(ask.id) }),
      params: {},
      context: {},
    }),
  );
  await publicListAction({
    request: staffPost(`${base}/staff/public-list`, organiser, { intent: "hide", askId: String(ask.id) }),
    params: {},
    context: {},
  });
  const page = (await publicListLoader({
    request: staffGet(`${base}/staff/public-list`, organiser),
    params: {},
    context: {},
  })) as {
    data: { entries: { shownAs: string; hidden: boolean }[] };
  };
  expect(page.data.entries).toEqual([expect.objectContaining({ shownAs: "Sam T", hidden: true })]);
});
