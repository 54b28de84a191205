// One candidacy, one status: the board, the map, the open data, the
// constituency and candidate pages, the ask form and the ask and digest mails
// all decide it the same way, from the answers to the campaign's own points.
// The installation also holds an earlier campaign's points and answers, which
// must count for nothing.
import { writeTransaction } from "#db/index";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import {
  askRecipients,
  campaigns,
  candidacies,
  constituencies,
  elections,
  outbox,
  parties,
  pledgePointAnswers,
  pledgePoints,
} from "#db/schema";
import { queueDueDigests } from "~/models/digest.server";
import { confirmAsk, submitAsk } from "~/models/ask.server";
import { saveCampaign } from "~/models/campaign.server";
import { loader as boardLoader } from "~/routes/board";
import { loader as candidateLoader } from "~/routes/candidates.$personId";
import { loader as constituencyLoader } from "~/routes/constituencies.$slug";
import { loader as askLoader } from "~/routes/constituencies.$slug_.ask";
import { loader as constituenciesJson } from "~/routes/data.constituencies[.]json";
import { loader as pledgesJson } from "~/routes/data.pledges[.]json";
import { loader as mapLoader } from "~/routes/map";
import { findMapTooltips } from "~/models/map.server";
import { db } from "~/utils/db.server";
import { insertPledgeByCampaign, buildAsk } from "../factories";

const ELECTION = "parl.2024-07-04";
const SEAT = { gssCode: "E14009951", name: "Fenhallow Marsh", slug: "fenhallow-marsh" };
const t0 = new Date("2024-06-20T09:00:00Z");

// Invented candidates. Ann signs every point, Ben two of the four, Dee
// declines; Cai answers only the earlier campaign's points.
const ANN = "990001";
const BEN = "990002";
const CAI = "990003";
const DEE = "990004";

async function setUp({ askHourlyCap = 20 } = {}) {
  const now = t0;
  await saveCampaign({
    savedBy: "npm run campaign",
    settings: {
      name: "Test Pledge",
      slug: "test-pledge",
      summary: "A pledge for tests.",
      electionId: ELECTION,
      electionName: "UK Parliamentary general election",
      electionDate: "2024-07-04",
      fromEmail: "pledge@example.org",
      points: [1, 2, 3, 4].map((n) => ({ title: `Point ${n}`, body: `Body ${n}` })),
      askHourlyCap,
      wordingVariants: [{ id: "direct", label: "Direct", opening: "Please sign.", closing: "Thank you." }],
      messagePrompts: [],
    },
    now,
  });
  // An earlier campaign on an earlier election, its three points still in the table.
  await writeTransaction(db, () =>
    db
      .insert(elections)
      .values({ id: "parl.2019-12-12", date: "2019-12-12", name: "UK Parliamentary general election 2019" }),
  );
  await writeTransaction(db, () =>
    db.insert(campaigns).values({
      id: 2,
      slug: "earlier",
      name: "Earlier Pledge",
      summary: "Before.",
      electionId: "parl.2019-12-12",
      fromEmail: "old@example.org",
    }),
  );
  const earlierPoints: number[] = [];
  for (const position of [1, 2, 3]) {
    const [point] = await writeTransaction(db, () =>
      db
        .insert(pledgePoints)
        .values({ campaignId: 2, position, title: `Earlier ${position}`, body: "Before." })
        .returning({ id: pledgePoints.id }),
    );
    earlierPoints.push(point!.id);
  }
  await writeTransaction(db, () =>
    db
      .insert(constituencies)
      .values({ ...SEAT, nation: "England", regionCode: "E12000007", regionName: "London", source: "test" }),
  );
  await writeTransaction(db, () =>
    db.insert(parties).values([
      { id: "PP901", name: "Marsh Party", source: "test" },
      { id: "PP902", name: "Fen Party", source: "test" },
    ]),
  );
  const people = [
    { personId: ANN, name: "Ann Able", partyId: "PP901" },
    { personId: BEN, name: "Ben Baker", partyId: "PP902" },
    { personId: CAI, name: "Cai Cole", partyId: "PP901" },
    { personId: DEE, name: "Dee Dunn", partyId: "PP902" },
  ];
  const ids: Record<string, number> = {};
  for (const p of people) {
    const [candidacy] = await writeTransaction(db, () =>
      db
        .insert(candidacies)
        .values({
          ...p,
          electionId: ELECTION,
          ballotPaperId: `parl.${SEAT.slug}.2024-07-04`,
          constituencyCode: SEAT.gssCode,
          email: `${p.personId}@example.net`,
          source: "test",
        })
        .returning({ id: candidacies.id }),
    );
    ids[p.personId] = candidacy!.id;
  }
  // Cai signed every point of the earlier pledge, and nothing of this one.
  for (const pointId of earlierPoints) {
    await writeTransaction(db, () =>
      db
        .insert(pledgePointAnswers)
        .values({ candidacyId: ids[CAI]!, pointId, answer: "signed", answeredAt: now.toISOString() }),
    );
  }
  await record(ANN, ["signed", "signed", "signed", "signed"]);
  await record(BEN, ["signed", "signed", "declined"]);
  await record(DEE, ["declined", "declined"]);
  return ids;
}

async function record(personId: string, answersInOrder: ("signed" | "declined")[]) {
  const positions = (answer: string) => answersInOrder.flatMap((a, i) => (a === answer ? [i + 1] : []));
  await insertPledgeByCampaign({ personId, sign: positions("signed"), decline: positions("declined"), now: t0 });
}

const args = (url: string, params: Record<string, string> = {}) => ({ request: new Request(url), params, context: {} });

const expected = { [ANN]: "signed-all", [BEN]: "signed-some", [CAI]: "no-answer", [DEE]: "declined" };

test("every page and file gives a candidacy the same status, counting only the campaign's own points", async () => {
  await setUp();

  const board = await boardLoader(args("http://localhost/board"));
  expect(Object.fromEntries(board.rows.map((r) => [r.personId, r.status]))).toEqual(expected);
  expect(board.summary).toMatchObject({ standing: 4, signedAll: 1, signedSome: 1, constituenciesWithSigned: 1 });

  const constituency = await constituencyLoader(
    args(`http://localhost/constituencies/${SEAT.slug}`, { slug: SEAT.slug }),
  );
  expect(Object.fromEntries(constituency.candidates.map((c) => [c.personId, c.pledge]))).toEqual(expected);
  expect(Object.fromEntries(constituency.candidates.map((c) => [c.personId, c.signed]))).toEqual({
    [ANN]: 4,
    [BEN]: 2,
    [CAI]: 0,
    [DEE]: 0,
  });

  for (const [personId, status] of Object.entries(expected)) {
    const page = await candidateLoader(args(`http://localhost/candidates/${personId}`, { personId }));
    expect(page.pledge.status).toBe(status);
    expect(page.pledge.signedEveryPoint).toBe(status === "signed-all");
  }

  const ask = await askLoader(args(`http://localhost/constituencies/${SEAT.slug}/ask`, { slug: SEAT.slug }));
  expect(ask.signed.map((c) => c.personId)).toEqual([ANN]);
  expect(ask.candidates.map((c) => c.personId).sort()).toEqual([BEN, CAI, DEE]);

  // The map's tooltips, best answers first.
  const tooltips = await findMapTooltips();
  expect(tooltips.seats[SEAT.slug]![2].split("\n").map((line) => line.split("\t")[0])).toEqual([
    "Ann Able",
    "Ben Baker",
    "Dee Dunn",
    "Cai Cole",
  ]);
  // The map's table counts "signed" as the board does: every point.
  const row = (await mapLoader(args("http://localhost/map"))).data.offMap.find((c) => c.code === SEAT.gssCode)!;
  expect(row).toMatchObject({ status: "signed-all", signed: 1, standing: 4 });

  const pledges = (await (await pledgesJson()).json()) as { data: { person_id: string; pledge_status: string }[] };
  expect(Object.fromEntries(pledges.data.map((r) => [r.person_id, r.pledge_status]))).toEqual(expected);
  const counts = (await (await constituenciesJson()).json()) as { data: { gss_code: string }[] };
  expect(counts.data.find((c) => c.gss_code === SEAT.gssCode)).toMatchObject({
    candidates: 4,
    signed: 1,
    signed_some: 1,
    declined: 1,
    no_answer: 1,
  });
});

let ip = 0;
async function askAndConfirm({
  candidacyIds,
  email,
  wantsUpdates = false,
}: {
  candidacyIds: number[];
  email: string;
  wantsUpdates?: boolean;
}) {
  const submitted = await submitAsk({
    ask: buildAsk({
      constituencyCode: SEAT.gssCode,
      name: "Sam Supporter",
      email,
      postcode: "ZZ9 9ZZ",
      wantsUpdates,
      candidacyIds,
    }),
    clientIp: `192.0.2.${++ip}`,
    now: t0,
  });
  expect(submitted.outcome).toBe("created");
  const mail = (
    await db
      .select({ textBody: outbox.textBody })
      .from(outbox)
      .where(and(eq(outbox.toAddress, email), eq(outbox.kind, "ask-confirmation")))
      .limit(1)
  )[0];
  const token = /\/asks\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail?.textBody ?? "")?.[1] ?? "";
  return async () => confirmAsk({ token, now: t0 });
}

async function deliveries(askEmail: string) {
  return Object.fromEntries(
    (
      await db
        .select({ personId: candidacies.personId, delivery: askRecipients.delivery })
        .from(askRecipients)
        .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
        .innerJoin(
          outbox,
          and(
            eq(outbox.toAddress, askEmail),
            eq(outbox.kind, "ask-confirmation"),
            eq(outbox.askId, askRecipients.askId),
          ),
        )
    ).map((r) => [r.personId, r.delivery]),
  );
}

test("asks skip a candidate who signed every point of this campaign, and only them", async () => {
  const ids = await setUp();
  const confirm = await askAndConfirm({ candidacyIds: [ids[ANN]!, ids[BEN]!, ids[CAI]!], email: "sam@example.org" });
  // Ann signed every point already, so the ask is not sent to her.
  expect(await deliveries("sam@example.org")).toEqual({ [BEN]: null, [CAI]: null });

  // Ben signs the rest between the ask and its confirmation: he is thanked, not asked.
  await record(BEN, ["signed", "signed", "signed", "signed"]);
  expect((await confirm())?.sentTo).toEqual(["Cai Cole"]);
  expect(await deliveries("sam@example.org")).toEqual({ [BEN]: "already-signed", [CAI]: "mail" });
});

test("a digest is not sent to a candidate who signed every point while the asks waited", async () => {
  // A cap of none an hour holds every ask for the digest.
  const ids = await setUp({ askHourlyCap: 0 });
  await (
    await askAndConfirm({ candidacyIds: [ids[BEN]!, ids[CAI]!], email: "sam@example.org" })
  )();
  expect(await deliveries("sam@example.org")).toEqual({ [BEN]: "digest", [CAI]: "digest" });

  await record(BEN, ["signed", "signed", "signed", "signed"]);
  await queueDueDigests({ now: t0 });
  expect(await deliveries("sam@example.org")).toEqual({ [BEN]: "already-signed", [CAI]: "digest" });
});

test("a supporter told of a partial signing reads that the candidate signed some points", async () => {
  const ids = await setUp();
  await (
    await askAndConfirm({ candidacyIds: [ids[CAI]!], email: "sam@example.org", wantsUpdates: true })
  )();
  await record(CAI, ["signed"]);
  const notice = (
    await db
      .select({ subject: outbox.subject, textBody: outbox.textBody })
      .from(outbox)
      .where(eq(outbox.kind, "candidate-signed"))
      .limit(1)
  )[0];
  expect(notice?.subject).toBe("Cai Cole has signed some points of the Test Pledge pledge");
  expect(notice?.textBody).toContain("They have signed 1 of the 4 points of the pledge.");
});
