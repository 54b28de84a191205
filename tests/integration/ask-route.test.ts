import { afterEach, expect, test, vi } from "vitest";
import { asks, outbox } from "#db/schema";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { listAskableCandidates } from "~/models/ask.server";
import { action as confirmAction, loader as confirmLoader } from "~/routes/asks.confirm.$token";
import { loader as thankYouLoader } from "~/routes/asks.thank-you";
import { action, headers, loader } from "~/routes/constituencies.$slug_.ask";
import { db } from "~/utils/db.server";
import { issueFormStamp } from "~/utils/form-stamp.server";
import { insertCampaign, insertCandidacy, insertConstituency, insertPostcode } from "../factories";
import { tokenIn } from "../links";
import { HOUR, DAY } from "../time";

// The real loader and action of /constituencies/:slug/ask against a real SQLite file.
const slug = "brackenby-vale";
const url = `http://localhost/constituencies/${slug}/ask`;
let ip = 0;

afterEach(() => {
  vi.useRealTimers();
});

/** The signed stamp the form carries, as the page would have issued it `ago` ms before now. */
async function stampFrom(ago: number) {
  return issueFormStamp({ secret: await findOrCreateAppSecret({ name: "ask-form" }), now: new Date(Date.now() - ago) });
}

/** The clock, moved on: as if the person took this long before pressing the next button. */
function later(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ms });
}

/** Brackenby Vale with five standing candidates, four of them with a published email; its postcode and a neighbour's. */
async function setUp() {
  await insertCampaign({
    wordingVariants: [
      { id: "direct", label: "Direct", opening: "Please sign the pledge.", closing: "Thank you." },
      { id: "personal", label: "Personal", opening: "This matters to me.", closing: "It would change my vote." },
      { id: "brief", label: "Brief", opening: "Will you sign?", closing: "Thanks." },
    ],
  });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const elsewhere = await insertConstituency({
    name: "Glenmorven and Strathkin",
    nation: "Scotland",
    gssCode: "S14009901",
  });
  await insertPostcode({ postcode: "ZZ4 1AA", constituencyCode: seat.gssCode });
  await insertPostcode({ postcode: "ZZ9 1AA", constituencyCode: elsewhere.gssCode });
  for (const email of ["ruth@example.net", "edward@example.org", "felix@example.net", "zoe@example.org"])
    await insertCandidacy({ constituency: seat, email });
  await insertCandidacy({ constituency: seat, name: "Sandra Hebblethwaite", email: null });
  return listAskableCandidates({ constituencyCode: seat.gssCode });
}

function form(fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return body;
}

/** The consent wordings' ids, as the form (and the preview, for sending) carry them from the loader. */
async function shownTextIds() {
  const { consents } = await loader({ request: new Request(url), params: { slug }, context: {} });
  return {
    publicListTextId: consents.publicList.id,
    updatesTextId: consents.updates.id,
    sendAskTextId: consents.sendAsk.id,
  };
}

async function validFields(candidateIds: number[], overrides: Record<string, string | string[]> = {}) {
  return {
    startedAt: await stampFrom(60_000),
    ...(await shownTextIds()),
    "leave-this-blank": "",
    name: "Rajan Nair",
    email: "rajan@example.org",
    postcode: "zz4 1aa",
    candidacyIds: candidateIds.map(String),
    wordingId: "direct",
    personalMessage: "My neighbours came here as refugees.",
    showOnPublicList: "yes",
    ...overrides,
  };
}

async function post(fields: Record<string, string | string[]>) {
  const request = new Request(url, { method: "POST", body: form(fields) });
  try {
    return await action({ request, params: { slug }, context: { clientIp: `192.0.2.${++ip}` } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function json(result: unknown) {
  return result instanceof Response
    ? ((await result.json()) as Record<string, unknown>)
    : (result as Record<string, unknown>);
}

test("the form offers every standing candidate, ticked, and keeps a postcode from the link", async () => {
  const candidates = await setUp();
  const data = await loader({ request: new Request(`${url}?postcode=zz41aa`), params: { slug }, context: {} });
  expect(data.values.candidacyIds).toEqual(candidates.map((c) => String(c.id)));
  expect(data.values.postcode).toBe("ZZ4 1AA");
  expect(data.wordingVariants.map((w) => w.id)).toEqual(["direct", "personal", "brief"]);
});

test("a submission with errors says which fields and why, and keeps what was typed", async () => {
  await setUp();
  const result = await post(
    await validFields([], { name: "", email: "not-an-email", postcode: "nonsense", personalMessage: "x".repeat(1001) }),
  );
  expect(result instanceof Response ? result.status : 200).toBe(400);
  const data = await json(result);
  expect(data.errors).toEqual({
    name: "Enter your name",
    email: "Enter an email address in the correct format, like name@example.com",
    postcode: "Enter a full UK postcode, like SW1A 1AA",
    candidacyIds: "Select at least one candidate to write to",
    personalMessage: "Your message must be 1000 characters or fewer",
  });
  expect((data.values as { email: string }).email).toBe("not-an-email");
  expect(await db.select().from(asks)).toEqual([]);
});

test("a postcode in another constituency is pointed out, with a way to write there instead", async () => {
  const candidates = await setUp();
  const result = await post(await validFields([candidates[0]!.id], { postcode: "ZZ9 1AA" }));
  const data = await json(result);
  expect((data.errors as Record<string, string>).postcode).toBe(
    "ZZ9 1AA is in Glenmorven and Strathkin, not Brackenby Vale. Check your postcode, or write to the candidates in Glenmorven and Strathkin instead",
  );
  expect(data.elsewhere).toEqual({ name: "Glenmorven and Strathkin", slug: "glenmorven-and-strathkin" });
});

test("names with control characters are refused", async () => {
  const candidates = await setUp();
  const data = await json(await post(await validFields([candidates[0]!.id], { name: "Rajan\r\nBcc: x@example.org" })));
  expect((data.errors as Record<string, string>).name).toMatch(/only include letters/);
});

test("continue shows a preview and records nothing; send records the ask and redirects", async () => {
  const candidates = await setUp();
  const ids = candidates.map((c) => c.id);
  const preview = await json(await post(await validFields(ids, { intent: "preview" })));
  expect((preview.preview as { textBody: string }).textBody).toContain("My neighbours came here as refugees.");
  expect((preview.values as { postcode: string }).postcode).toBe("ZZ4 1AA");
  expect(await db.select().from(asks)).toEqual([]);

  const sent = await post(await validFields(ids, { intent: "send" }));
  expect(sent).toBeInstanceOf(Response);
  expect((sent as Response).status).toBe(302);
  expect((sent as Response).headers.get("Location")).toBe("/asks/check-your-email?constituency=brackenby-vale");
  expect(await db.select({ status: asks.status }).from(asks)).toEqual([{ status: "pending" }]);
});

test("Continue pressed the moment the form loads (autofill) still shows the preview; so does changing the message", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  const page = await loader({ request: new Request(url), params: { slug }, context: {} });
  const preview = await json(await post(await validFields(ids, { intent: "preview", startedAt: page.startedAt })));
  expect((preview.preview as { textBody: string }).textBody).toContain("My neighbours came here as refugees.");
  expect(preview.notSent).toBe(false);
  // The clock keeps running from the first page: the same stamp comes back.
  expect(preview.startedAt).toBe(page.startedAt);
  const edit = await json(await post(await validFields(ids, { intent: "edit", startedAt: page.startedAt })));
  expect(edit.startedAt).toBe(page.startedAt);
  expect(edit.errors).toBeNull();
});

test("Send within 3 s of the form loading sends nothing and says so, on the preview; pressing Send again sends", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  const page = await loader({ request: new Request(url), params: { slug }, context: {} });
  const held = await json(await post(await validFields(ids, { intent: "send", startedAt: page.startedAt })));
  // Not "Check your email": nothing was sent, and the page says so.
  expect(held.notSent).toBe(true);
  expect((held.preview as { textBody: string }).textBody).toContain("My neighbours came here as refugees.");
  expect(held.startedAt).toBe(page.startedAt);
  expect(await db.select().from(asks)).toEqual([]);
  expect(await db.select().from(outbox)).toEqual([]);

  later(3_100);
  const sent = await post(await validFields(ids, { intent: "send", startedAt: String(held.startedAt) }));
  expect((sent as Response).headers.get("Location")).toBe("/asks/check-your-email?constituency=brackenby-vale");
  expect(await db.select({ status: asks.status }).from(asks)).toEqual([{ status: "pending" }]);
});

test("a client-made start time (0, -1e30, unsigned, forged, missing) or one over a day old is never trusted, and a person who retries gets through", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  const unsigned = String(Date.now() - 60_000);
  for (const startedAt of ["0", "-1e30", unsigned, `${unsigned}.forged`, "", await stampFrom(25 * HOUR)]) {
    const held = await json(await post(await validFields(ids, { intent: "send", startedAt })));
    expect(held.notSent).toBe(true);
    // A fresh stamp, signed by the server, comes back with the page.
    expect(held.startedAt).not.toBe(startedAt);
    expect(String(held.startedAt)).toMatch(/^\d+\.[A-Za-z0-9_-]+$/);
    expect(await db.select().from(asks)).toEqual([]);
  }
  const retried = await json(await post(await validFields(ids, { intent: "send", startedAt: "0" })));
  later(3_100);
  const sent = await post(await validFields(ids, { intent: "send", startedAt: String(retried.startedAt) }));
  expect((sent as Response).status).toBe(302);
  expect(await db.select({ status: asks.status }).from(asks)).toEqual([{ status: "pending" }]);
});

test("a filled trap field holds back only the send, with the same truthful preview; Send from that preview goes through", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  // At the preview step it changes nothing: nothing is recorded there anyway.
  const preview = await json(await post(await validFields(ids, { intent: "preview", "leave-this-blank": "Rajan" })));
  expect(preview.notSent).toBe(false);
  const held = await json(
    await post(await validFields(ids, { intent: "send", "leave-this-blank": "https://spam.example" })),
  );
  expect(held.notSent).toBe(true);
  expect(await db.select().from(asks)).toEqual([]);
  expect(await db.select().from(outbox)).toEqual([]);
  // The preview's own form starts with the trap empty again.
  const sent = await post(await validFields(ids, { intent: "send", startedAt: String(held.startedAt) }));
  expect((sent as Response).status).toBe(302);
  expect(await db.select({ status: asks.status }).from(asks)).toEqual([{ status: "pending" }]);
});

test("names that start like a spreadsheet formula, or hide or reorder characters, are refused with a clear message; other scripts are fine", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  const refused: [string, string][] = [
    ['=HYPERLINK("https://evil.example")', "Your name must not start with =, +, - or @"],
    ["+44 Rajan", "Your name must not start with =, +, - or @"],
    ["-Rajan", "Your name must not start with =, +, - or @"],
    ["@Rajan", "Your name must not start with =, +, - or @"],
    ["Rajan \u202EriaN", "Your name must not contain characters that change the direction of text"],
    ["Rajan \u2066Nair\u2069", "Your name must not contain characters that change the direction of text"],
    ["Raj\u200Ban Nair", "Your name must not contain invisible characters"],
  ];
  for (const [name, message] of refused) {
    const result = await post(await validFields(ids, { intent: "preview", name }));
    expect(result instanceof Response ? result.status : 200).toBe(400);
    const data = await json(result);
    expect((data.errors as Record<string, string>).name).toBe(message);
    expect((data.values as { name: string }).name).toBe(name.trim());
  }
  for (const name of ["Rаjan Nаir" /* Cyrillic а */, "Zoë O’Brien-Smith", "محمد علی", "Ólafur Ragnar"]) {
    const data = await json(await post(await validFields(ids, { intent: "preview", name })));
    expect(data.errors).toBeNull();
  }
  expect(await db.select().from(asks)).toEqual([]);
});

test("over the limit, the answer is a generic 429 that says when the window reopens", async () => {
  const candidates = await setUp();
  const ids = [candidates[0]!.id];
  const request = async (i: number) =>
    action({
      request: new Request(url, {
        method: "POST",
        body: form(await validFields(ids, { intent: "send", email: `r${i}@example.org` })),
      }),
      params: { slug },
      context: { clientIp: "198.51.100.99" },
    }).catch((thrown: unknown) => thrown);
  for (let i = 0; i < 5; i++) expect(((await request(i)) as Response).status).toBe(302);
  const limited = (await request(5)) as Response;
  expect(limited.status).toBe(429);
  // The burst window is a minute from the first submission: at most 60 s, never the old fixed "3600".
  const retryAfter = Number(limited.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await limited.json()).toEqual({ retryAfterSeconds: retryAfter });
  const pageHeaders = new Headers(
    headers({
      errorHeaders: limited.headers,
      loaderHeaders: new Headers(),
      actionHeaders: new Headers(),
      parentHeaders: new Headers(),
    }),
  );
  expect(pageHeaders.get("Retry-After")).toBe(String(retryAfter));
});

/** The ask as the preview's Send button posts it, then the token from the confirmation mail. */
async function askAndGetToken(candidacyIds: number[], email = "rajan@example.org") {
  const sent = await post(await validFields(candidacyIds, { intent: "send", email }));
  expect((sent as Response).status).toBe(302);
  const mail = (await db.select().from(outbox)).find((m) => m.kind === "ask-confirmation" && m.toAddress === email);
  return tokenIn(mail?.textBody ?? "", "asks/confirm");
}

async function openConfirmLink(token: string) {
  return confirmLoader({
    request: new Request(`http://localhost/asks/confirm/${token}`),
    params: { token },
    context: {},
  });
}

async function pressConfirm(token: string, receipt: string | null) {
  const body = new URLSearchParams(receipt === null ? {} : { receipt });
  const request = new Request(`http://localhost/asks/confirm/${token}`, { method: "POST", body });
  try {
    return (await confirmAction({ request, params: { token }, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function thankYouPage(location: string) {
  return thankYouLoader({ request: new Request(`http://localhost${location}`), params: {}, context: {} });
}

test("the thank-you page lists only the no-email candidates this supporter asked; its address and share link carry no postcode", async () => {
  const candidates = await setUp();
  const sandra = candidates.find((c) => !c.hasEmail)!;
  expect(sandra.name).toBe("Sandra Hebblethwaite");
  // Sandra (no published email) unticked: she is not "counted" for this supporter.
  const withoutSandra = await askAndGetToken(candidates.filter((c) => c !== sandra).map((c) => c.id));
  const first = await pressConfirm(withoutSandra, (await openConfirmLink(withoutSandra)).receipt);
  const location = first.headers.get("Location")!;
  expect(location).toBe("/asks/thank-you?constituency=brackenby-vale");
  const page = await thankYouPage(location);
  expect(page.withoutEmail).toEqual([]);
  expect(page.shareUrl).toBe("http://localhost:3000/constituencies/brackenby-vale");

  const withSandra = await askAndGetToken(
    candidates.map((c) => c.id),
    "ffion@example.org",
  );
  const second = await pressConfirm(withSandra, (await openConfirmLink(withSandra)).receipt);
  const secondLocation = second.headers.get("Location")!;
  expect(secondLocation).toBe(`/asks/thank-you?constituency=brackenby-vale&noEmail=${sandra.id}`);
  expect((await thankYouPage(secondLocation)).withoutEmail.map((c) => c.name)).toEqual([sandra.name]);
  for (const shown of [location, secondLocation, page.shareUrl, JSON.stringify(page)]) {
    expect(shown).not.toMatch(/ZZ4|postcode|rajan|ffion/i);
  }
  // A made-up address lists no one outside the constituency, and only those without an email.
  const others = candidates.filter((c) => c.hasEmail).map((c) => `noEmail=${c.id}`);
  expect((await thankYouPage(`/asks/thank-you?constituency=brackenby-vale&${others.join("&")}`)).withoutEmail).toEqual(
    [],
  );
});

test("pressing the button again on a used link (a second tab) says the message was already sent, with a 410", async () => {
  const candidates = await setUp();
  const token = await askAndGetToken(candidates.map((c) => c.id));
  // Two tabs open on the same link, before either is pressed.
  const tabOne = await openConfirmLink(token);
  const tabTwo = await openConfirmLink(token);
  expect(tabOne.ask?.name).toBe("Rajan Nair");
  expect((await pressConfirm(token, tabOne.receipt)).status).toBe(302);
  const again = await pressConfirm(token, tabTwo.receipt);
  expect(again.status).toBe(410);
  expect(await again.json()).toEqual({ state: "already-sent", constituencySlug: "brackenby-vale" });
  expect(again.headers.get("Cache-Control")).toBe("no-store");
  // Opened afresh, the link cannot tell whose it was: it says both possibilities.
  expect(await openConfirmLink(token)).toEqual({ ask: null, receipt: null });
  // Only the first press sent anything: one mail to each of the four with a published email.
  expect((await db.select().from(outbox)).filter((m) => m.kind === "candidate-ask")).toHaveLength(4);
});

test("pressing the button on an expired link says it expired and nothing was sent, with a 410; a forged receipt learns nothing", async () => {
  const candidates = await setUp();
  const token = await askAndGetToken(candidates.map((c) => c.id));
  const { receipt } = await openConfirmLink(token);
  // A week passes (the link's lifetime) before the button is pressed.
  later(8 * DAY);
  const expired = await pressConfirm(token, receipt);
  expect(expired.status).toBe(410);
  expect(await expired.json()).toEqual({ state: "expired", constituencySlug: null });
  vi.useRealTimers();

  // Someone else's ask, confirmed: an unsigned or forged receipt does not reveal it.
  const other = await askAndGetToken(
    candidates.map((c) => c.id),
    "other@example.org",
  );
  const otherReceipt = (await openConfirmLink(other)).receipt!;
  expect((await pressConfirm(other, otherReceipt)).status).toBe(302);
  const askId = otherReceipt.split(".")[0]!;
  for (const forged of [askId, `${askId}.forged`, "", null]) {
    const response = await pressConfirm("A".repeat(43), forged);
    expect(response.status).toBe(410);
    expect(await response.json()).toEqual({ state: "dead", constituencySlug: null });
  }
});
