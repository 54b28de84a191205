// The candidate's side of the pledge, on the models: signing links (issued,
// expiring, revoked, tampered), signing and changing answers with an
// append-only history, the mails it causes (through a real SMTP server), and
// what supporters and the ask form see once a candidate has signed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { engine } from "#db/engine";
import { writeTransaction } from "#db/index";
import {
  askRecipients,
  asks,
  auditLog,
  campaigns,
  candidacies,
  constituencies,
  pledgeHistory,
  pledgePointAnswers,
  parties,
  pledges,
  signingTokens,
} from "#db/schema";
import { runImport } from "~/importers/import.server";
import { confirmAsk, listAskableCandidates, submitAsk, type NewAsk } from "~/models/ask.server";
import { queueDueDigests } from "~/models/digest.server";
import { findCandidatePage } from "~/models/candidacy.server";
import {
  findSigningPage,
  issueSigningLink,
  recordPledgeFromLink,
  requestSigningLink,
} from "~/models/signing-link.server";
import { type Answers } from "~/models/pledge.server";
import { db } from "~/utils/db.server";
import { createMailTransport, type MailTransport } from "~/mail/transport.server";
import { drainOutbox } from "~/mail/worker.server";
import { RateLimited } from "~/utils/too-many-requests";
import { hashToken } from "~/utils/tokens.server";
import { outboxRows, pledgeHistoryOf, snapshotDatabase } from "../db";
import {
  buildCandidate,
  buildFourPoints,
  dcCsv,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertParty,
  writeInputFile,
  buildAsk,
} from "../factories";
import { startTestMailServer, type TestMailServer } from "../mail-server";
import { tokenIn } from "../links";
import { DAY, HOUR } from "../time";
import { SIGNING_LINK_LIFETIME_MS } from "~/utils/lifetimes";

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const t0 = new Date("2024-06-20T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Candidate = Awaited<ReturnType<typeof insertCandidacy>>;

/**
 * A four-point campaign and one seat, Brackenby Vale, with five candidates:
 * four with a published email, Sandra without one.
 */
async function setUp() {
  const campaign = await insertCampaign({ points: buildFourPoints() });
  const brackenby = await insertConstituency({ name: "Brackenby Vale" });
  const stand = async (name: string, party: { id: string; name: string }, email: string | null) =>
    insertCandidacy({ constituency: brackenby, partyId: (await insertParty(party)).id, name, email });
  const ruth = await stand("Ruth Adeyemi", { id: "PP53", name: "Labour Party" }, "ruth.adeyemi@example.net");
  const edward = await stand(
    "Edward James Fairbrother",
    { id: "PP52", name: "Conservative and Unionist Party" },
    "edward.fairbrother@example.org",
  );
  const felix = await stand("Felix Garrowby", { id: "PP90", name: "Liberal Democrats" }, "felix@example.net");
  const sandra = await stand("Sandra Hebblethwaite", { id: "PP7931", name: "Reform UK" }, null);
  const zoe = await stand("Zoë Pembridge", { id: "PP63", name: "Green Party" }, "zoe.pembridge@example.org");
  return {
    campaign,
    points: campaign.points,
    brackenby,
    candidates: [ruth, edward, felix, sandra, zoe],
    ruth,
    felix,
    sandra,
    edward,
  };
}

/**
 * Democracy Club's export for the seat, listing these candidates as they are
 * in the database (with an email column), so importing it changes nothing
 * unless `emails` gives someone a new address.
 */
async function candidatesCsv(candidates: Candidate[], { emails = {} }: { emails?: Record<string, string> } = {}) {
  const partyNames = new Map(
    (await db.select({ id: parties.id, name: parties.name }).from(parties)).map((p) => [p.id, p.name]),
  );
  const seat = (
    await db
      .select({ gssCode: constituencies.gssCode, name: constituencies.name })
      .from(constituencies)
      .where(eq(constituencies.gssCode, candidates[0]!.constituencyCode))
      .limit(1)
  )[0]!;
  const rows = candidates.map((c) =>
    buildCandidate(seat, {
      person_id: c.personId,
      person_name: c.name,
      party_id: c.partyId,
      party_name: partyNames.get(c.partyId),
      email: emails[c.personId] ?? c.email,
    }),
  );
  return dcCsv(rows, { extraColumns: ["email"] });
}

/** Answers by point id from answers in point order: "signed", "declined" or null (not answered). */
function answersInOrder(points: { id: number }[], inOrder: ("signed" | "declined" | null)[]): Answers {
  const answers: Answers = {};
  points.forEach((p, i) => {
    const answer = inOrder[i];
    if (answer) answers[p.id] = answer;
  });
  return answers;
}

let linkIp = 0;

/** A link as the "Email me a signing link" button sends it: the token from the queued mail. */
async function requestLinkToken(candidacyId: number, now: Date) {
  const before = (await outboxRows("signing-link")).length;
  await requestSigningLink({ candidacyId, clientIp: `192.0.2.${++linkIp}`, now });
  const mails = await outboxRows("signing-link");
  expect(mails).toHaveLength(before + 1);
  return tokenIn(mails.at(-1)!.textBody, "pledge/sign");
}

/** A supporter's ask to some of one seat's candidates, submitted and confirmed from the mailed link. */
async function askAndConfirm(
  { to, ...overrides }: Partial<Omit<NewAsk, "candidacyIds">> & { to: Candidate[] },
  now = t0,
) {
  return insertConfirmedAsk({
    constituencyCode: to[0]!.constituencyCode,
    candidacyIds: to.map((c) => c.id),
    email: "rajan@example.org",
    ...overrides,
    now,
  });
}

async function smtpServer() {
  const server = await startTestMailServer();
  cleanups.push(() => server.close());
  return server;
}

function smtpTransport(server: TestMailServer): MailTransport {
  const transport = createMailTransport(server.url);
  cleanups.push(() => transport.close());
  return transport;
}

test("every ask mail carries the candidate's own signing link: 256 random bits, stored only as a hash, for one candidacy, for 30 days", async () => {
  const { candidates } = await setUp();
  const confirmed = await askAndConfirm({ to: candidates });
  expect(confirmed?.withoutEmail).toEqual([
    { candidacyId: candidates.find((c) => !c.email)!.id, name: "Sandra Hebblethwaite" },
  ]);

  const mails = await outboxRows("candidate-ask");
  expect(mails.map((m) => m.toAddress).sort()).toEqual([
    "edward.fairbrother@example.org",
    "felix@example.net",
    "ruth.adeyemi@example.net",
    "zoe.pembridge@example.org",
  ]);
  const tokens = mails.map((m) => tokenIn(m.textBody, "pledge/sign"));
  expect(new Set(tokens).size).toBe(4);
  for (const [i, mail] of mails.entries()) {
    const token = tokens[i]!;
    expect(mail.textBody).toContain(`http://localhost:3000/pledge/sign/${token}`);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const stored = (
      await db
        .select()
        .from(signingTokens)
        .where(eq(signingTokens.tokenHash, hashToken(token)))
        .limit(1)
    )[0];
    expect(stored).toMatchObject({
      candidacyId: mail.candidacyId,
      sentTo: mail.toAddress,
      createdAt: "2024-06-20T09:00:00.000Z",
      expiresAt: "2024-07-20T09:00:00.000Z",
      revokedAt: null,
    });
  }
  expect(SIGNING_LINK_LIFETIME_MS).toBe(30 * DAY);
  // The queued mails are the only place a token exists in plain text.
  const { outbox: queued, ...rest } = await snapshotDatabase();
  for (const token of tokens) {
    expect(JSON.stringify(rest)).not.toContain(token);
    expect(JSON.stringify(queued)).toContain(token);
  }
  // Each link opens its own candidate's page and no other.
  for (const [i, mail] of mails.entries()) {
    const page = await findSigningPage({ token: tokens[i]!, now: at(HOUR) });
    expect(page.status).toBe("valid");
    expect(page.status === "valid" ? page.candidacy.id : null).toBe(mail.candidacyId);
  }
});

test("a link in an older mail keeps working beside a newer one, until its own 30 days are up; then it explains itself", async () => {
  const { points, ruth } = await setUp();
  const older = await requestLinkToken(ruth.id, t0);
  const newer = await requestLinkToken(ruth.id, at(10 * DAY));

  expect((await findSigningPage({ token: older, now: at(20 * DAY) })).status).toBe("valid");
  expect((await findSigningPage({ token: newer, now: at(20 * DAY) })).status).toBe("valid");
  expect((await findSigningPage({ token: older, now: at(30 * DAY - 1) })).status).toBe("valid");

  const expired = await findSigningPage({ token: older, now: at(30 * DAY) });
  expect(expired).toMatchObject({ status: "expired", candidacy: { personId: ruth.personId, name: "Ruth Adeyemi" } });
  const before = await snapshotDatabase();
  expect(
    await recordPledgeFromLink({
      token: older,
      answers: answersInOrder(points, ["signed"]),
      statement: null,
      now: at(30 * DAY),
    }),
  ).toEqual({
    status: "expired",
  });
  expect(await snapshotDatabase()).toEqual(before);

  // The newer mail's link, opened later still, records the answers.
  const signed = await recordPledgeFromLink({
    token: newer,
    answers: answersInOrder(points, ["signed"]),
    statement: null,
    now: at(30 * DAY),
  });
  expect(signed).toEqual({ status: "recorded", changed: true, candidacyId: ruth.id });
  expect((await findSigningPage({ token: newer, now: at(40 * DAY - 1) })).status).toBe("valid");
  expect((await findSigningPage({ token: newer, now: at(40 * DAY) })).status).toBe("expired");
});

test("a tampered, truncated or made-up link opens nothing and records nothing", async () => {
  const { points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
  const madeUp = Buffer.alloc(32, 7).toString("base64url");
  const before = await snapshotDatabase();
  for (const bad of [tampered, token.slice(0, -1), `${token}A`, madeUp, "", "../../etc/passwd"]) {
    expect(await findSigningPage({ token: bad, now: t0 })).toEqual({ status: "unknown" });
    expect(
      await recordPledgeFromLink({
        token: bad,
        answers: answersInOrder(points, ["signed", "signed"]),
        statement: "Hi",
        now: t0,
      }),
    ).toEqual({
      status: "unknown",
    });
  }
  expect(await snapshotDatabase()).toEqual(before);
  expect((await findSigningPage({ token, now: t0 })).status).toBe("valid");
});

test("reading a link's page changes nothing in the database, whatever state the link is in", async () => {
  const { ruth, felix } = await setUp();
  const valid = await requestLinkToken(ruth.id, t0);
  const expired = await requestLinkToken(felix.id, at(-31 * DAY));
  const before = await snapshotDatabase();
  expect((await findSigningPage({ token: valid, now: t0 })).status).toBe("valid");
  expect((await findSigningPage({ token: expired, now: t0 })).status).toBe("expired");
  expect((await findSigningPage({ token: "x".repeat(43), now: t0 })).status).toBe("unknown");
  expect(await snapshotDatabase()).toEqual(before);
});

test("re-importing a candidate with a changed email revokes all their open links; an unchanged re-import revokes none", async () => {
  const { points, candidates, ruth, felix } = await setUp();
  const first = await requestLinkToken(ruth.id, t0);
  const second = await requestLinkToken(ruth.id, at(HOUR));
  const felixLink = await requestLinkToken(felix.id, t0);

  // The same file again: nobody's email changed, every link still works.
  const same = await runImport({
    path: writeInputFile("candidates-dc.csv", await candidatesCsv(candidates)),
    now: () => at(2 * HOUR),
  });
  expect(same.updated).toBe(0);
  expect(await db.select({ revokedAt: signingTokens.revokedAt }).from(signingTokens)).toEqual([
    { revokedAt: null },
    { revokedAt: null },
    { revokedAt: null },
  ]);

  const changed = await candidatesCsv(candidates, { emails: { [ruth.personId]: "ruth@adeyemi-campaign.example.org" } });
  const result = await runImport({ path: writeInputFile("candidates-dc.csv", changed), now: () => at(3 * HOUR) });
  expect(result.updated).toBe(1);

  for (const token of [first, second]) {
    expect(await findSigningPage({ token, now: at(4 * HOUR) })).toMatchObject({
      status: "revoked",
      candidacy: { personId: ruth.personId },
    });
    expect(
      await recordPledgeFromLink({
        token,
        answers: answersInOrder(points, ["signed"]),
        statement: null,
        now: at(4 * HOUR),
      }),
    ).toEqual({
      status: "revoked",
    });
    expect(
      (
        await db
          .select({ revokedAt: signingTokens.revokedAt })
          .from(signingTokens)
          .where(eq(signingTokens.tokenHash, hashToken(token)))
          .limit(1)
      )[0],
    ).toEqual({
      revokedAt: "2024-06-20T12:00:00.000Z",
    });
  }
  expect((await findSigningPage({ token: felixLink, now: at(4 * HOUR) })).status).toBe("valid");
  expect(await db.select().from(pledges).where(eq(pledges.candidacyId, ruth.id))).toEqual([]);

  // A new link goes to the new published address, and works.
  const fresh = await requestLinkToken(ruth.id, at(5 * HOUR));
  expect((await outboxRows("signing-link")).at(-1)?.toAddress).toBe("ruth@adeyemi-campaign.example.org");
  expect((await findSigningPage({ token: fresh, now: at(5 * HOUR) })).status).toBe("valid");
});

test("a link stops working once the published email is no longer the one it was sent to, even without a revocation", async () => {
  const { ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await writeTransaction(db, () => db.update(candidacies).set({ email: null }).where(eq(candidacies.id, ruth.id)));
  expect((await findSigningPage({ token, now: t0 })).status).toBe("revoked");
});

test("signing records each point's answer, the statement and 'verified by email', in one history entry, and mails the published address", async () => {
  const { campaign, points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  const answers = answersInOrder(points, ["signed", "signed", "signed", "declined"]);
  const result = await recordPledgeFromLink({ token, answers, statement: "I back points 1 to 3.", now: at(HOUR) });
  expect(result).toEqual({ status: "recorded", changed: true, candidacyId: ruth.id });

  expect(await db.select().from(pledges).where(eq(pledges.candidacyId, ruth.id))).toEqual([
    {
      candidacyId: ruth.id,
      statement: "I back points 1 to 3.",
      trustMark: "verified-by-email",
      evidenceUrl: null,
      firstAnsweredAt: "2024-06-20T10:00:00.000Z",
      updatedAt: "2024-06-20T10:00:00.000Z",
    },
  ]);
  expect(
    await db
      .select()
      .from(pledgePointAnswers)
      .where(eq(pledgePointAnswers.candidacyId, ruth.id))
      .orderBy(asc(pledgePointAnswers.pointId)),
  ).toEqual(
    points.map((p, i) => ({
      candidacyId: ruth.id,
      pointId: p.id,
      answer: i < 3 ? "signed" : "declined",
      pointVersion: 1,
      answeredAt: "2024-06-20T10:00:00.000Z",
    })),
  );
  expect(await pledgeHistoryOf(ruth.id)).toEqual([
    {
      id: expect.any(Number),
      candidacyId: ruth.id,
      answers: Object.fromEntries(points.map((p, i) => [String(p.id), i < 3 ? "signed" : "declined"])),
      pointVersions: Object.fromEntries(points.map((p) => [String(p.id), 1])),
      statement: "I back points 1 to 3.",
      trustMark: "verified-by-email",
      evidenceUrl: null,
      note: null,
      recordedBy: "candidate",
      createdAt: "2024-06-20T10:00:00.000Z",
    },
  ]);

  const confirmations = await outboxRows("pledge-recorded");
  expect(confirmations.map((m) => [m.toAddress, m.toName, m.candidacyId])).toEqual([
    ["ruth.adeyemi@example.net", "Ruth Adeyemi", ruth.id],
  ]);
  expect(confirmations[0]?.subject).toBe(`Your answers to the ${campaign.name} pledge are recorded`);
  expect(confirmations[0]?.textBody).toContain(`1. ${points[0]!.title}\n   Signed`);
  expect(confirmations[0]?.textBody).toContain(`4. ${points[3]!.title}\n   Declined`);
  expect(confirmations[0]?.textBody).toContain("Your statement:\nI back points 1 to 3.");
  expect(confirmations[0]?.textBody).toContain("Not you? If you did not give these answers, tell us straight away");
  expect(confirmations[0]?.textBody).toContain(`http://localhost:3000/candidates/${ruth.personId}`);

  const page = await findCandidatePage({ personId: ruth.personId });
  expect(page?.trustMark).toBe("verified-by-email");
  expect(page?.points.map((p) => [p.answer, p.answeredAt])).toEqual([
    ["signed", "2024-06-20T10:00:00.000Z"],
    ["signed", "2024-06-20T10:00:00.000Z"],
    ["signed", "2024-06-20T10:00:00.000Z"],
    ["declined", "2024-06-20T10:00:00.000Z"],
  ]);
});

test("signing every point is confirmed as 'You signed'", async () => {
  const { campaign, points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed", "signed", "signed", "signed"]),
    statement: null,
    now: t0,
  });
  const [mail] = await outboxRows("pledge-recorded");
  expect(mail?.subject).toBe(`You signed the ${campaign.name} pledge`);
  expect(mail?.toAddress).toBe("ruth.adeyemi@example.net");
  expect(mail?.textBody).not.toContain("Your statement:");
});

test("coming back with the same answers adds nothing; a change is appended with its time and the earlier entry is kept as it was", async () => {
  const { points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  const first = answersInOrder(points, ["signed", "signed", "signed", "declined"]);
  await recordPledgeFromLink({ token, answers: first, statement: "Not point 4.", now: at(HOUR) });
  const afterFirst = await snapshotDatabase();

  // Identical answers, even through a different (newer) link, a day later.
  const later = await requestLinkToken(ruth.id, at(DAY));
  const withLaterLink = await snapshotDatabase();
  expect(
    await recordPledgeFromLink({ token: later, answers: { ...first }, statement: "Not point 4.", now: at(2 * DAY) }),
  ).toEqual({
    status: "recorded",
    changed: false,
    candidacyId: ruth.id,
  });
  expect(await snapshotDatabase()).toEqual(withLaterLink);
  expect(await pledgeHistoryOf(ruth.id)).toHaveLength(1);

  // A change of mind on point 4, and point 3 withdrawn to "not answered yet".
  const second = answersInOrder(points, ["signed", "signed", null, "signed"]);
  expect(
    await recordPledgeFromLink({ token, answers: second, statement: "Now point 4 too.", now: at(3 * DAY) }),
  ).toMatchObject({ changed: true });
  const history = await pledgeHistoryOf(ruth.id);
  expect(history).toHaveLength(2);
  // Every row there was is still there, unchanged, with the new one after it.
  const historyBefore = afterFirst.pledge_history!;
  const historyNow = (await snapshotDatabase()).pledge_history!;
  expect(historyNow).toHaveLength(historyBefore.length + 1);
  expect(historyNow.slice(0, historyBefore.length)).toEqual(historyBefore);
  expect(history[1]).toMatchObject({
    answers: { [points[0]!.id]: "signed", [points[1]!.id]: "signed", [points[3]!.id]: "signed" },
    statement: "Now point 4 too.",
    createdAt: "2024-06-23T09:00:00.000Z",
  });
  expect(Object.keys(history[1]!.answers)).toHaveLength(3);

  const page = await findCandidatePage({ personId: ruth.personId });
  expect(page?.points.map((p) => [p.answer, p.answeredAt])).toEqual([
    ["signed", "2024-06-20T10:00:00.000Z"],
    ["signed", "2024-06-20T10:00:00.000Z"],
    [null, null],
    ["signed", "2024-06-23T09:00:00.000Z"],
  ]);
  expect(page?.statement).toBe("Now point 4 too.");
  // Newest first, each version as it was kept: what it answered and said, as well as when.
  const byPoint = (answers: Answers) => Object.fromEntries(Object.entries(answers).map(([id, a]) => [String(id), a]));
  expect(page?.history).toMatchObject([
    {
      createdAt: "2024-06-23T09:00:00.000Z",
      trustMark: "verified-by-email",
      answers: byPoint(second),
      statement: "Now point 4 too.",
      evidenceUrl: null,
    },
    {
      createdAt: "2024-06-20T10:00:00.000Z",
      trustMark: "verified-by-email",
      answers: byPoint(first),
      statement: "Not point 4.",
      evidenceUrl: null,
    },
  ]);
  expect(
    (
      await db
        .select({ firstAnsweredAt: pledges.firstAnsweredAt, updatedAt: pledges.updatedAt })
        .from(pledges)
        .where(eq(pledges.candidacyId, ruth.id))
        .limit(1)
    )[0],
  ).toEqual({
    firstAnsweredAt: "2024-06-20T10:00:00.000Z",
    updatedAt: "2024-06-23T09:00:00.000Z",
  });
  // Each change is confirmed to the published address.
  expect(await outboxRows("pledge-recorded")).toHaveLength(2);
});

test("pledge history and the audit log are append-only: the database refuses to update or delete their rows", async () => {
  const { points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed"]),
    statement: "Original words.",
    now: t0,
  });
  await writeTransaction(db, () =>
    db.insert(auditLog).values({
      actor: "Staff",
      action: "pledge.record",
      subject: "candidacy:1",
      details: {},
      createdAt: t0.toISOString(),
    }),
  );
  const before = await snapshotDatabase();

  expect(
    await refusal(writeTransaction(db, () => db.update(pledgeHistory).set({ statement: "Rewritten words." }))),
  ).toBe("pledge_history is append-only: rows cannot be updated");
  expect(await refusal(writeTransaction(db, () => db.delete(pledgeHistory)))).toBe(
    "pledge_history is append-only: rows cannot be deleted",
  );
  expect(await refusal(writeTransaction(db, () => db.update(pledgeHistory).set({ answers: {} })))).toMatch(
    /append-only/,
  );
  expect(
    await refusal(writeTransaction(db, () => db.delete(pledgeHistory).where(eq(pledgeHistory.candidacyId, ruth.id)))),
  ).toMatch(/append-only/);
  expect(await refusal(writeTransaction(db, () => db.update(auditLog).set({ actor: "someone else" })))).toBe(
    "audit_log is append-only: rows cannot be updated",
  );
  expect(await refusal(writeTransaction(db, () => db.delete(auditLog)))).toBe(
    "audit_log is append-only: rows cannot be deleted",
  );
  expect(await snapshotDatabase()).toEqual(before);
});

/**
 * What the database said when it refused `write`. drizzle wraps PostgreSQL's
 * errors in its own ("Failed query: …"), keeping the driver's as the cause;
 * SQLite's come as they are.
 */
async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
    return "(not refused)";
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return (cause instanceof Error ? cause : (error as Error)).message;
  }
}

// REPLACE deletes the old row, and SQLite fires delete triggers for that only
// with recursive_triggers on (createDb turns it on). REPLACE and that pragma
// are SQLite's own: PostgreSQL has neither, and its nearest statement (INSERT
// … ON CONFLICT DO UPDATE) is an update, which its update trigger refuses.
test.skipIf(engine === "postgres")("pledge history cannot be rewritten by REPLACE either", async () => {
  const { points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed"]),
    statement: "Original words.",
    now: t0,
  });
  const [row] = await pledgeHistoryOf(ruth.id);
  await expect(
    writeTransaction(db, () =>
      db.$client
        .prepare(
          "replace into pledge_history (id, candidacy_id, answers, statement, trust_mark, recorded_by, created_at) values (?, ?, '{}', ?, ?, ?, ?)",
        )
        .run(row!.id, ruth.id, "Rewritten words.", "verified-by-email", "candidate", t0.toISOString()),
    ),
  ).rejects.toThrow(/append-only/);
  expect((await pledgeHistoryOf(ruth.id))[0]?.statement).toBe("Original words.");
});

test("two processes posting the same link at the same moment record one signing", async () => {
  const { points, ruth } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await askAndConfirm({ to: [ruth], email: "updates@example.org", wantsUpdates: true });
  const answers = answersInOrder(points, ["signed", "signed", "signed", "declined"]);

  // Each signer is its own Node process with its own connection to this test's
  // database file: it loads the app, says it is ready, then waits for "go", so
  // both POST handlers reach the database at the same moment.
  function startSigner() {
    const signer = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { recordPledgeFromLink } = await import("~/models/signing-link.server");
         process.stdout.write("ready\\n");
         process.stdin.once("data", async () => {
           const result = await recordPledgeFromLink({
             token: process.env.SIGN_TOKEN,
             answers: JSON.parse(process.env.SIGN_ANSWERS),
             statement: "Same words.",
             now: new Date(process.env.SIGN_NOW),
           });
           process.stdout.write(JSON.stringify(result) + "\\n");
           process.stdin.destroy();
         });`,
      ],
      {
        cwd: repoDir,
        env: {
          ...process.env,
          SIGN_TOKEN: token,
          SIGN_ANSWERS: JSON.stringify(answers),
          SIGN_NOW: at(HOUR).toISOString(),
        },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    signer.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    signer.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (stdout.includes("ready\n")) {
          clearInterval(check);
          resolve();
        }
      }, 5);
      signer.once("exit", () => {
        clearInterval(check);
        reject(new Error(`the signer exited before it was ready:\n${stderr}`));
      });
    });
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      signer.once("close", (code) => resolve({ code, stdout, stderr })),
    );
    return { signer, ready, done };
  }
  const signers = [startSigner(), startSigner()];
  cleanups.push(() => signers.forEach(({ signer }) => signer.exitCode === null && signer.kill()));
  await Promise.all(signers.map((s) => s.ready));
  for (const { signer } of signers) signer.stdin.write("go\n");
  const outcomes = await Promise.all(signers.map((s) => s.done));

  const results = outcomes.map((o) => {
    expect(o.stderr).toBe("");
    expect(o.code).toBe(0);
    return JSON.parse(o.stdout.split("\n")[1]!) as { status: string; changed: boolean };
  });
  expect(results.map((r) => r.status)).toEqual(["recorded", "recorded"]);
  expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
  expect(await pledgeHistoryOf(ruth.id)).toHaveLength(1);
  expect(await db.select().from(pledgePointAnswers).where(eq(pledgePointAnswers.candidacyId, ruth.id))).toHaveLength(4);
  expect(await outboxRows("pledge-recorded")).toHaveLength(1);
  expect(await outboxRows("candidate-signed")).toHaveLength(1);
});

test("withdrawn candidates cannot sign, by link or by asking for one", async () => {
  const { points, brackenby, candidates, ruth, felix } = await setUp();
  const token = await requestLinkToken(felix.id, t0);
  // The next export no longer lists Felix in Brackenby Vale: he has withdrawn.
  const withoutFelix = await candidatesCsv(candidates.filter((c) => c.id !== felix.id));
  expect(
    (
      await runImport({
        path: writeInputFile("candidates-dc.csv", withoutFelix),
        now: () => at(HOUR),
        confirmWithdrawals: true,
      })
    ).withdrawn,
  ).toBe(1);

  expect(await findSigningPage({ token, now: at(2 * HOUR) })).toMatchObject({
    status: "withdrawn",
    candidacy: { personId: felix.personId },
  });
  const before = await snapshotDatabase();
  expect(
    await recordPledgeFromLink({
      token,
      answers: answersInOrder(points, ["signed"]),
      statement: null,
      now: at(2 * HOUR),
    }),
  ).toEqual({
    status: "withdrawn",
  });
  await requestSigningLink({ candidacyId: felix.id, clientIp: "192.0.2.200", now: at(2 * HOUR) });
  await writeTransaction(db, async () =>
    expect(await issueSigningLink({ candidacyId: felix.id, now: at(2 * HOUR) })).toBeNull(),
  );
  const after = await snapshotDatabase();
  // Only the rate-limit counter of the refused request moved (and the day's
  // client-hash key, made on first use).
  expect({ ...after, rate_limits: [], app_secrets: [] }).toEqual({ ...before, rate_limits: [], app_secrets: [] });
  expect(await db.select().from(pledges).where(eq(pledges.candidacyId, felix.id))).toEqual([]);
  expect((await listAskableCandidates({ constituencyCode: brackenby.gssCode })).map((c) => c.personId)).not.toContain(
    felix.personId,
  );
  // Other candidates are unaffected.
  expect(
    (await findSigningPage({ token: await requestLinkToken(ruth.id, at(2 * HOUR)), now: at(2 * HOUR) })).status,
  ).toBe("valid");
});

test("a signing link is sent only to the published address; a candidate without one gets nothing; at most 3 an hour", async () => {
  const { campaign, ruth, sandra } = await setUp();
  await requestSigningLink({ candidacyId: sandra.id, clientIp: "192.0.2.1", now: t0 });
  expect(await outboxRows()).toEqual([]);
  expect(await db.select().from(signingTokens)).toEqual([]);

  for (let i = 0; i < 3; i++)
    await requestSigningLink({ candidacyId: ruth.id, clientIp: `192.0.2.${10 + i}`, now: at(i * 60_000) });
  // The fourth within the hour, from anyone: refused, saying when the candidate's window reopens.
  const fourth = await catchRateLimited(async () =>
    requestSigningLink({ candidacyId: ruth.id, clientIp: "192.0.2.13", now: at(3 * 60_000) }),
  );
  expect(fourth.retryAfterSeconds).toBe(57 * 60);
  const mails = await outboxRows();
  expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([
    ["signing-link", "ruth.adeyemi@example.net"],
    ["signing-link", "ruth.adeyemi@example.net"],
    ["signing-link", "ruth.adeyemi@example.net"],
  ]);
  expect(mails[0]?.subject).toBe(`Your link to sign the ${campaign.name} pledge`);
  expect(mails[0]?.textBody).toContain(
    "We send these links only to the email address published for you by Democracy Club.",
  );
  expect(mails[0]?.textBody).toContain("It works until 20 Jul 2024.");
  await requestSigningLink({ candidacyId: ruth.id, clientIp: "192.0.2.14", now: at(HOUR + 1) });
  expect(await outboxRows()).toHaveLength(4);
});

async function catchRateLimited(request: () => Promise<unknown>) {
  try {
    await request();
  } catch (error) {
    if (error instanceof RateLimited) return error;
    throw error;
  }
  throw new Error("expected the request to be rate limited");
}

test("one client may ask for at most 10 signing links an hour, whichever candidates they are for", async () => {
  const { ruth, felix, sandra, edward } = await setUp();
  const client = "198.51.100.23";
  const people = [ruth, felix, edward, sandra];
  // Three each for Ruth, Felix and Edward (each candidate's own limit), one for Sandra: ten.
  for (let i = 0; i < 10; i++) {
    await requestSigningLink({ candidacyId: people[i < 9 ? i % 3 : 3]!.id, clientIp: client, now: at(i * 60_000) });
  }
  expect(await outboxRows("signing-link")).toHaveLength(9);
  const eleventh = await catchRateLimited(async () =>
    requestSigningLink({ candidacyId: sandra.id, clientIp: client, now: at(10 * 60_000) }),
  );
  expect(eleventh.retryAfterSeconds).toBe(50 * 60);
  // Someone else is not held up by that client.
  await requestSigningLink({ candidacyId: sandra.id, clientIp: "198.51.100.24", now: at(10 * 60_000) });
  // The client's window reopens an hour after its first request.
  await requestSigningLink({ candidacyId: sandra.id, clientIp: client, now: at(HOUR) });
  expect(await outboxRows("signing-link")).toHaveLength(9);
});

test("supporters who asked and opted in get one mail when the candidate signs; no one else does", async () => {
  const { campaign, points, brackenby, ruth, felix } = await setUp();
  await askAndConfirm({ to: [ruth, felix], name: "Ann Able", email: "ann@example.org", wantsUpdates: true });
  await askAndConfirm({ to: [ruth], name: "Ben Baker", email: "ben@example.org", wantsUpdates: false });
  await askAndConfirm({ to: [felix], name: "Cat Cole", email: "cat@example.org", wantsUpdates: true });
  // Asked but never confirmed: not a supporter of record.
  await submitAsk({
    ask: buildAsk({
      constituencyCode: brackenby.gssCode,
      name: "Dev Dean",
      email: "dev@example.org",
      wantsUpdates: true,
      candidacyIds: [ruth.id],
    }),
    clientIp: "192.0.2.251",
    now: t0,
  });
  const token = await requestLinkToken(ruth.id, t0);

  // Declining everything is not signing: nobody is told.
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["declined", "declined", "declined", "declined"]),
    statement: null,
    now: at(HOUR),
  });
  expect(await outboxRows("candidate-signed")).toEqual([]);

  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed", "signed", "signed", "declined"]),
    statement: null,
    now: at(2 * HOUR),
  });
  const notices = await outboxRows("candidate-signed");
  expect(notices.map((m) => [m.toAddress, m.toName])).toEqual([["ann@example.org", "Ann Able"]]);
  expect(notices[0]?.subject).toBe(`Ruth Adeyemi has signed some points of the ${campaign.name} pledge`);
  expect(notices[0]?.textBody).toContain("They have signed 3 of the 4 points of the pledge.");
  expect(notices[0]?.textBody).toContain(`http://localhost:3000/candidates/${ruth.personId}`);
  const recipients = await db.select().from(askRecipients).where(eq(askRecipients.candidacyId, ruth.id));
  expect(recipients.filter((r) => r.notifiedAt).map((r) => r.notifiedAt)).toEqual(["2024-06-20T11:00:00.000Z"]);

  // Signing the last point later sends Ann nothing more.
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed", "signed", "signed", "signed"]),
    statement: null,
    now: at(3 * HOUR),
  });
  expect(await outboxRows("candidate-signed")).toHaveLength(1);
});

test("once a candidate has signed every point, the ask form thanks them and no ask mail reaches them, not even one held for a digest", async () => {
  const { points, brackenby, ruth, felix } = await setUp();
  await writeTransaction(db, () => db.update(campaigns).set({ askHourlyCap: 1 }));
  // Ruth's first ask of the hour is mailed; the second waits for a digest.
  await askAndConfirm({ to: [ruth], email: "first@example.org" }, t0);
  await askAndConfirm({ to: [ruth], email: "second@example.org" }, at(60_000));
  expect((await outboxRows("candidate-ask")).map((m) => m.toAddress)).toEqual(["ruth.adeyemi@example.net"]);

  const token = tokenIn((await outboxRows("candidate-ask"))[0]!.textBody, "pledge/sign");
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed", "signed", "signed", "signed"]),
    statement: null,
    now: at(2 * 60_000),
  });

  const askable = await listAskableCandidates({ constituencyCode: brackenby.gssCode });
  expect(askable.find((c) => c.personId === ruth.personId)?.signedEveryPoint).toBe(true);
  expect(askable.filter((c) => c.signedEveryPoint).map((c) => c.personId)).toEqual([ruth.personId]);

  // A new ask naming her goes to the others only.
  const confirmed = await askAndConfirm({ to: [ruth, felix], email: "third@example.org" }, at(3 * 60_000));
  expect(confirmed?.sentTo).toEqual(["Felix Garrowby"]);
  const third = (await db.select({ id: asks.id }).from(asks).where(eq(asks.email, "third@example.org")).limit(1))[0]!;
  expect(
    await db
      .select({ candidacyId: askRecipients.candidacyId })
      .from(askRecipients)
      .where(eq(askRecipients.askId, third.id)),
  ).toEqual([{ candidacyId: felix.id }]);

  // The digest due an hour later is not sent to someone who has signed everything.
  expect(await queueDueDigests({ now: at(2 * HOUR) })).toBe(0);
  expect(await outboxRows("candidate-digest")).toEqual([]);
  const second = (await db.select({ id: asks.id }).from(asks).where(eq(asks.email, "second@example.org")).limit(1))[0]!;
  expect(
    await db
      .select({ delivery: askRecipients.delivery, outboxId: askRecipients.outboxId })
      .from(askRecipients)
      .where(eq(askRecipients.askId, second.id)),
  ).toEqual([{ delivery: "already-signed", outboxId: null }]);
  expect(
    (await outboxRows()).filter((m) => m.toAddress === "ruth.adeyemi@example.net" && m.kind.startsWith("candidate-")),
  ).toHaveLength(1);
});

test("an ask submitted before the candidate signed everything, confirmed after, is recorded but not mailed to them", async () => {
  const { points, brackenby, ruth, felix } = await setUp();
  const token = await requestLinkToken(ruth.id, t0);
  await submitAsk({
    ask: buildAsk({
      constituencyCode: brackenby.gssCode,
      name: "Eve Ellis",
      email: "eve@example.org",
      candidacyIds: [ruth.id, felix.id],
    }),
    clientIp: "192.0.2.252",
    now: t0,
  });
  await recordPledgeFromLink({
    token,
    answers: answersInOrder(points, ["signed", "signed", "signed", "signed"]),
    statement: null,
    now: at(HOUR),
  });
  const confirmationToken = tokenIn((await outboxRows("ask-confirmation"))[0]!.textBody, "asks/confirm");
  const confirmed = await confirmAsk({ token: confirmationToken, now: at(2 * HOUR) });
  expect(confirmed?.sentTo).toEqual(["Felix Garrowby"]);
  expect((await outboxRows("candidate-ask")).map((m) => m.toAddress)).toEqual(["felix@example.net"]);
  expect(
    await db
      .select({ delivery: askRecipients.delivery })
      .from(askRecipients)
      .where(and(eq(askRecipients.candidacyId, ruth.id))),
  ).toEqual([{ delivery: "already-signed" }]);
});

test("through a real SMTP server: the ask carries a working link, the candidate's confirmation and the supporter's notice arrive, and sent rows keep no token", async () => {
  const { campaign, points, ruth } = await setUp();
  const smtp = await smtpServer();
  const transport = smtpTransport(smtp);
  await askAndConfirm({ to: [ruth], name: "Ann Able", email: "ann@example.org", wantsUpdates: true });
  await drainOutbox({ transport, now: at(60_000) });

  const askMail = smtp.received.find((m) => m.envelope.to.includes("ruth.adeyemi@example.net"));
  expect(askMail?.parsed.subject).toBe(
    `Will you sign the ${campaign.name} pledge? A constituent in Brackenby Vale asks`,
  );
  const token = tokenIn(askMail?.parsed.text ?? "", "pledge/sign");
  // Sent: the outbox row's link is struck out, so no working token is left in the database.
  const sentAsk = (await outboxRows("candidate-ask"))[0]!;
  expect(sentAsk.status).toBe("sent");
  expect(sentAsk.textBody).toContain("/pledge/sign/[removed once sent]");
  expect(JSON.stringify(await snapshotDatabase())).not.toContain(token);

  expect(
    await recordPledgeFromLink({
      token,
      answers: answersInOrder(points, ["signed", "signed", "signed", "declined"]),
      statement: "I will not sign point 4.",
      now: at(HOUR),
    }),
  ).toMatchObject({ status: "recorded", changed: true });
  await drainOutbox({ transport, now: at(HOUR + 60_000) });

  const confirmation = smtp.received.find(
    (m) => m.parsed.subject === `Your answers to the ${campaign.name} pledge are recorded`,
  );
  expect(confirmation?.envelope).toEqual({ from: campaign.fromEmail, to: ["ruth.adeyemi@example.net"] });
  expect(confirmation?.parsed.text).toContain(`4. ${points[3]!.title}\n   Declined`);
  expect(confirmation?.parsed.text).toContain("I will not sign point 4.");
  expect(confirmation?.parsed.text).toContain("Not you?");

  const notice = smtp.received.find(
    (m) => m.envelope.to.includes("ann@example.org") && m.parsed.subject?.includes("has signed"),
  );
  expect(notice?.parsed.subject).toBe(`Ruth Adeyemi has signed some points of the ${campaign.name} pledge`);
  expect(notice?.parsed.to && "value" in notice.parsed.to ? notice.parsed.to.value.map((v) => v.address) : []).toEqual([
    "ann@example.org",
  ]);
  expect(notice?.parsed.text).toContain("They have signed 3 of the 4 points of the pledge.");
  expect(smtp.received).toHaveLength(4); // ask confirmation, candidate ask, pledge confirmation, supporter notice
});
