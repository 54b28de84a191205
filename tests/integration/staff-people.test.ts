// Admins answer access and erasure requests at /staff/people: find a person
// by email (posted, never in a URL), download every row about them and
// nothing about anyone else, or erase them after a confirmation step. Both
// audited by a keyed hash, never the address.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { asks, auditLog } from "#db/schema";
import { queueDueDigests } from "~/models/digest.server";
import { exportPersonData } from "~/models/subject-access.server";
import { emailKeyHash } from "~/models/client-hash.server";
import { action, loader } from "~/routes/staff.people";
import { action as downloadAction, loader as downloadLoader } from "~/routes/staff.people[.]json";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { db } from "~/utils/db.server";
import { insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";
import { HOUR } from "../time";

const url = "http://localhost/staff/people";
const jsonUrl = "http://localhost/staff/people.json";
const t0 = new Date("2024-06-20T09:00:00.000Z");

const person = {
  name: "Philippa Quenby",
  email: "erase-me@example.org",
  postcode: "ZZ9 7QX",
  personalMessage: "The otters in Brackenby brook need the culvert opened before winter.",
};
const neighbour = {
  name: "Tobias Wren",
  email: "neighbour@example.org",
  postcode: "ZZ9 1AB",
  personalMessage: "Please sign: our lane floods every spring.",
};

/** Two supporters in one seat, asking the same candidate, their mail delivered to the local mailbox. */
async function setUp() {
  await insertCampaign({ askHourlyCap: 1 });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const candidate = await insertCandidacy({
    constituency: seat,
    email: "candidate@example.net",
    name: "Greer Blackthorn",
  });
  for (const who of [person, neighbour])
    await insertConfirmedAsk({
      constituencyCode: seat.gssCode,
      candidacyIds: [candidate.id],
      ...who,
      wantsUpdates: true,
      showOnPublicList: true,
      now: t0,
    });
  await drainOutbox({ transport: createMailTransport(undefined), now: t0 });
  return { seat, candidate };
}

type Found = { data: { step: string; email: string; errors: Record<string, string>; held: Record<string, unknown> } };

async function post(staff: Awaited<ReturnType<typeof signedInStaff>>, fields: Record<string, string>) {
  return settle(() => action({ request: staffPost(url, staff, fields), params: {}, context: {} }));
}

async function personAudits() {
  return await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.subject, `person:${await emailKeyHash(person.email)}`));
}

test("only admins find, download or erase; viewers and organisers get a 403 and nothing changes", async () => {
  await setUp();
  for (const role of ["viewer", "organiser"] as const) {
    const staff = await signedInStaff(role);
    const calls: (() => unknown)[] = [
      async () => loader({ request: staffGet(url, staff), params: {}, context: {} }),
      () =>
        action({ request: staffPost(url, staff, { intent: "find", email: person.email }), params: {}, context: {} }),
      () =>
        action({ request: staffPost(url, staff, { intent: "erase", email: person.email }), params: {}, context: {} }),
      () => downloadAction({ request: staffPost(jsonUrl, staff, { email: person.email }), params: {}, context: {} }),
    ];
    for (const call of calls) expect(((await settle(call)) as Response).status).toBe(403);
  }
  const signedOut = (await settle(async () => loader({ request: staffGet(url), params: {}, context: {} }))) as Response;
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fpeople");
  expect((await db.select().from(asks).where(eq(asks.email, person.email)).limit(1))[0]).toBeDefined();
  expect(await personAudits()).toEqual([]);
});

test("forged posts (no token, a wrong token, another origin) erase nothing and download nothing", async () => {
  await setUp();
  const admin = await signedInStaff("admin");
  for (const forgery of [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }]) {
    const erase = await settle(() =>
      action({
        request: staffPost(url, admin, { intent: "erase", email: person.email }, forgery),
        params: {},
        context: {},
      }),
    );
    expect((erase as Response).status).toBe(403);
    const download = await settle(() =>
      downloadAction({ request: staffPost(jsonUrl, admin, { email: person.email }, forgery), params: {}, context: {} }),
    );
    expect((download as Response).status).toBe(403);
  }
  expect((await db.select().from(asks).where(eq(asks.email, person.email)).limit(1))[0]).toMatchObject({
    name: person.name,
  });
  expect(await personAudits()).toEqual([]);
});

test("finding a person shows what is held, by counts and dates; a bad address is an error by the field", async () => {
  await setUp();
  const admin = await signedInStaff("admin");

  const found = (await post(admin, { intent: "find", email: " Erase-Me@Example.ORG " })) as unknown as Found;
  expect(found.data).toMatchObject({
    step: "found",
    email: person.email,
    held: {
      asks: [{ constituencyName: "Brackenby Vale", status: "confirmed", candidates: 1, wantsUpdates: true }],
      mailsToThem: 1,
      mailsToCandidates: 1,
      mailsNotSent: 0,
      mailsSentToCandidates: 1,
      mailboxCopies: 2,
      // Each consent given on the ask form, under the wording it was shown.
      consents: [
        { purpose: "send-ask", action: "given", method: "ask-form", at: t0.toISOString(), version: "send-ask-v1" },
        {
          purpose: "public-list",
          action: "given",
          method: "ask-form",
          at: t0.toISOString(),
          version: "public-list-v1",
        },
        { purpose: "updates", action: "given", method: "ask-form", at: t0.toISOString(), version: "updates-v1" },
      ],
      suppressed: false,
      blockListed: false,
      nothingHeld: false,
    },
  });
  // Finding is only a read: nothing is recorded.
  expect(await personAudits()).toEqual([]);

  const bad = (await post(admin, { intent: "find", email: "not an address" })) as unknown as Found & {
    init: ResponseInit;
  };
  expect(bad.init.status).toBe(400);
  expect(bad.data).toMatchObject({ step: "find", email: "not an address" });
  expect(bad.data.errors.email).toBe("Enter an email address in the correct format, like name@example.com");
  const empty = (await post(admin, { intent: "find", email: "" })) as unknown as Found;
  expect(empty.data.errors.email).toBe("Enter the person’s email address");
});

test("the download holds every row about the person and nothing about the other supporter in the seat", async () => {
  await setUp();
  const admin = await signedInStaff("admin");

  const response = (await settle(() =>
    downloadAction({ request: staffPost(jsonUrl, admin, { email: "ERASE-ME@example.org" }), params: {}, context: {} }),
  )) as Response;

  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(
    /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
  );
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const text = await response.text();
  const exported = JSON.parse(text) as {
    email: string;
    asks: {
      name: string;
      email: string;
      postcode: string;
      personalMessage: string;
      recipients: { candidateName: string }[];
    }[];
    mails: { kind: string; to: string; textBody: string }[];
    mailboxCopies: { textBody: string }[];
  };
  expect(exported.email).toBe(person.email);
  expect(exported.asks).toEqual([
    expect.objectContaining({
      ...person,
      status: "confirmed",
      recipients: [expect.objectContaining({ candidateName: "Greer Blackthorn", delivery: "mail" })],
    }),
  ]);
  expect(exported.mails.map((m) => [m.kind, m.to])).toEqual([
    ["ask-confirmation", person.email],
    ["candidate-ask", "Greer Blackthorn"],
  ]);
  expect(exported.mails[1]?.textBody).toContain(person.personalMessage);
  expect(exported.mailboxCopies).toHaveLength(2);
  // Nothing of the neighbour, and no one's live link (the candidate's signing link is theirs).
  for (const text_ of [neighbour.name, neighbour.email, neighbour.postcode, neighbour.personalMessage, "Tobias"])
    expect(text).not.toContain(text_);
  expect(text).not.toMatch(/\/pledge\/sign\/[A-Za-z0-9_-]{43}/);
  expect(text).not.toMatch(/\/asks\/confirm\/[A-Za-z0-9_-]{43}/);
  expect(text).not.toContain("candidate@example.net");

  expect(await personAudits()).toEqual([
    expect.objectContaining({ actor: admin.account.email, action: "person.export", details: { asks: 1, mails: 2 } }),
  ]);
  expect(JSON.stringify(await db.select().from(auditLog))).not.toContain(person.email);
  // A GET (no email in a URL) goes back to the page.
  const get = downloadLoader() as Response;
  expect(get.headers.get("Location")).toBe("/staff/people");
});

test("erasing takes a confirmation step, then erases, suppresses if asked, and says what was done", async () => {
  await setUp();
  const admin = await signedInStaff("admin");

  const confirm = (await post(admin, { intent: "review-erasure", email: person.email })) as unknown as Found;
  expect(confirm.data).toMatchObject({ step: "confirm", email: person.email, held: { mailsSentToCandidates: 1 } });
  // The confirmation page alone changes nothing.
  expect((await db.select().from(asks).where(eq(asks.email, person.email)).limit(1))[0]).toBeDefined();

  const erased = (await post(admin, { intent: "erase", email: person.email, suppress: "yes" })) as Response;
  expect(erased.status).toBe(302);
  expect(erased.headers.get("Location")).toBe("/staff/people?erased=1&cancelled=0&suppressed=yes");
  expect(erased.headers.get("Location")).not.toContain("erase-me");
  expect((await db.select().from(asks).where(eq(asks.email, person.email)).limit(1))[0]).toBeUndefined();
  expect((await db.select().from(asks).where(eq(asks.email, neighbour.email)).limit(1))[0]).toMatchObject({
    name: neighbour.name,
  });
  expect(await personAudits()).toEqual([
    expect.objectContaining({
      actor: admin.account.email,
      action: "person.erase",
      details: expect.objectContaining({ reason: "staff-request", suppressed: true, asks: 1 }),
    }),
  ]);

  const page = (await loader({
    request: staffGet(`http://localhost${erased.headers.get("Location")}`, admin),
    params: {},
    context: {},
  })) as unknown as {
    data: { erased: unknown };
  };
  expect(page.data.erased).toEqual({ erased: 1, cancelled: 0, suppressed: "yes" });

  // Looked up again: nothing held, and the suppression is shown.
  const again = (await post(admin, { intent: "find", email: person.email })) as unknown as Found;
  expect(again.data.held).toMatchObject({ asks: [], nothingHeld: true, suppressed: true });
});

test("a digest that listed the person and others shows in the download by its existence and their own line only", async () => {
  const { seat, candidate } = await setUp();
  // The hourly cap is one: these two go into one digest together.
  const third = { ...person, name: "Ffion Hale", email: "ffion@example.org", personalMessage: "Open the culvert." };
  for (const who of [third, { ...neighbour, name: "Idris Moss", email: "idris@example.org" }])
    await insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [candidate.id], ...who, now: t0 });
  expect(await queueDueDigests({ now: new Date(t0.getTime() + 2 * HOUR) })).toBe(1);

  const { json } = await exportPersonData({ email: third.email, actor: "admin@campaign.example", now: t0 });

  const exported = JSON.parse(json) as { digests: { to: string; yourLines: string[] }[] };
  expect(exported.digests).toEqual([
    expect.objectContaining({ to: "Greer Blackthorn", yourLines: ['- Ffion Hale: "Open the culvert."'] }),
  ]);
  expect(json).not.toContain("Idris");
  expect(json).not.toContain(neighbour.personalMessage);
});
