// The staff dashboard's figures, as a campaign manager reads them on launch
// day: what happened today (a London day), this week and in all, by day.
import { writeTransaction } from "#db/index";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { candidacies } from "#db/schema";
import { confirmAsk, submitAsk } from "~/models/ask.server";
import { dashboardFigures } from "~/models/dashboard.server";
import { countOutboxByStatus } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { outboxRows } from "../db";
import {
  buildAsk,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertPledgeByCampaign,
} from "../factories";
import { tokenIn } from "../links";
import { DAY, HOUR, MINUTE } from "../time";

// 11:00 in London (BST): London's day began at 23:00 UTC on the 19th.
const now = new Date("2024-06-20T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

let supporterNumber = 0;

type SeatToAsk = Awaited<ReturnType<typeof aSeat>>;

/** A seat with one standing candidate to ask. */
async function aSeat(overrides: Parameters<typeof insertConstituency>[0] = {}) {
  const seat = await insertConstituency(overrides);
  const candidacy = await insertCandidacy({ constituency: seat });
  return { ...seat, candidacy };
}

function askFrom(seat: SeatToAsk) {
  supporterNumber++;
  return buildAsk({
    constituencyCode: seat.gssCode,
    candidacyIds: [seat.candidacy.id],
    email: `dash${supporterNumber}@example.org`,
  });
}

/** An ask made at `startedAt` and left unconfirmed; returns its confirmation token. */
async function startAsk(seat: SeatToAsk, startedAt: Date) {
  const ask = askFrom(seat);
  await submitAsk({ ask, clientIp: `198.51.100.${(supporterNumber % 250) + 1}`, now: startedAt });
  const mail = (await outboxRows("ask-confirmation")).findLast((m) => m.toAddress === ask.email);
  return tokenIn(mail?.textBody ?? "", "asks/confirm");
}

/** An ask made at `startedAt` and confirmed by its supporter at `confirmedAt`. */
async function confirmedAsk(seat: SeatToAsk, { startedAt, confirmedAt }: { startedAt: Date; confirmedAt: Date }) {
  const token = await startAsk(seat, startedAt);
  if (!(await confirmAsk({ token, now: confirmedAt }))) throw new Error("The ask was not confirmed");
}

test("an ask at 23:30 UTC the day before counts as today in London, one at 22:30 UTC only as this week", async () => {
  await insertCampaign();
  const seat = await aSeat();
  const lastNightLondon = new Date("2024-06-19T23:30:00Z");
  const yesterdayLondon = new Date("2024-06-19T22:30:00Z");
  await confirmedAsk(seat, { startedAt: lastNightLondon, confirmedAt: lastNightLondon });
  await confirmedAsk(seat, { startedAt: yesterdayLondon, confirmedAt: yesterdayLondon });

  const { asks } = await dashboardFigures({ now });
  expect(asks.started).toEqual({ today: 1, week: 2, total: 2 });
  expect(asks.confirmed).toEqual({ today: 1, week: 2, total: 2 });
});

test("the week is the 7 × 24 hours before now, not the calendar week", async () => {
  await insertCampaign();
  const seat = await aSeat();
  await confirmedAsk(seat, { startedAt: ago(7 * DAY - MINUTE), confirmedAt: ago(7 * DAY - MINUTE) });
  await confirmedAsk(seat, { startedAt: ago(7 * DAY + MINUTE), confirmedAt: ago(7 * DAY + MINUTE) });
  await confirmedAsk(seat, { startedAt: ago(30 * DAY), confirmedAt: ago(30 * DAY) });

  const { asks } = await dashboardFigures({ now });
  expect(asks.started).toEqual({ today: 0, week: 1, total: 3 });
  expect(asks.confirmed).toEqual({ today: 0, week: 1, total: 3 });
});

test("an ask is started when it is made and confirmed when its supporter confirms it", async () => {
  await insertCampaign();
  const seat = await aSeat();
  // Made six days ago, confirmed this morning.
  await confirmedAsk(seat, { startedAt: ago(6 * DAY), confirmedAt: ago(HOUR) });
  // Made today, not confirmed yet.
  await startAsk(seat, ago(2 * HOUR));

  const { asks } = await dashboardFigures({ now });
  expect(asks.started).toEqual({ today: 1, week: 2, total: 2 });
  expect(asks.confirmed).toEqual({ today: 1, week: 1, total: 1 });
});

test("the confirmation rate is confirmed over started, to a whole percent, and none before anything starts", async () => {
  await insertCampaign();
  const seat = await aSeat();
  expect((await dashboardFigures({ now })).asks.confirmationRate).toBeNull();

  await insertConfirmedAsk({ ...askFrom(seat), now: ago(HOUR) });
  await insertConfirmedAsk({ ...askFrom(seat), now: ago(HOUR) });
  await startAsk(seat, ago(HOUR));
  expect((await dashboardFigures({ now })).asks).toMatchObject({
    started: { total: 3 },
    confirmed: { total: 2 },
    confirmationRate: 67,
  });
});

test("the mail figures are the outbox's counts by status", async () => {
  await insertCampaign();
  const seat = await aSeat();
  await startAsk(seat, ago(HOUR));
  await startAsk(seat, ago(HOUR));

  const { mails } = await dashboardFigures({ now });
  expect(mails).toEqual(await countOutboxByStatus());
  expect(mails).toMatchObject({ queued: 2, sent: 0, failed: 0 });
});

test("the top constituencies are those with most confirmed asks, then by name, ten at most", async () => {
  await insertCampaign();
  const seats: SeatToAsk[] = [];
  for (let i = 0; i < 12; i++) seats.push(await aSeat({ name: `Seat ${String.fromCharCode(76 - i)}` /* L, K, … A */ }));
  const [l, k, j] = seats as [SeatToAsk, SeatToAsk, SeatToAsk];
  for (const seat of [l, l, l, k, k, j, j, ...seats.slice(3, 11)])
    await insertConfirmedAsk({ ...askFrom(seat), now: ago(HOUR) });
  // Unconfirmed asks do not count: Seat A has four but none confirmed.
  for (let i = 0; i < 4; i++) await startAsk(seats[11]!, ago(HOUR));

  const top = (await dashboardFigures({ now })).topConstituencies;
  expect(top).toHaveLength(10);
  expect(top.slice(0, 4)).toEqual([
    { name: "Seat L", slug: "seat-l", confirmedAsks: 3 },
    { name: "Seat J", slug: "seat-j", confirmedAsks: 2 },
    { name: "Seat K", slug: "seat-k", confirmedAsks: 2 },
    { name: "Seat B", slug: "seat-b", confirmedAsks: 1 },
  ]);
  expect(top.map((t) => t.name)).not.toContain("Seat A");
  expect(top.at(-1)).toEqual({ name: "Seat H", slug: "seat-h", confirmedAsks: 1 });
});

test("candidates by nation count standing candidates by their pledge, and withdrawn ones nowhere", async () => {
  await insertCampaign();
  const england = await insertConstituency({ nation: "England" });
  const wales = await insertConstituency({ nation: "Wales" });
  const englishCandidacies: Awaited<ReturnType<typeof insertCandidacy>>[] = [];
  for (let i = 0; i < 4; i++) englishCandidacies.push(await insertCandidacy({ constituency: england }));
  const [all, some, declined, withdrawn] = englishCandidacies;
  await insertCandidacy({ constituency: england });
  await insertCandidacy({ constituency: wales });
  const welshSigned = await insertCandidacy({ constituency: wales });
  await insertPledgeByCampaign({ personId: all!.personId, sign: [1, 2], now: ago(DAY) });
  await insertPledgeByCampaign({ personId: some!.personId, sign: [1], decline: [2], now: ago(DAY) });
  await insertPledgeByCampaign({ personId: declined!.personId, decline: [1, 2], now: ago(DAY) });
  await insertPledgeByCampaign({ personId: withdrawn!.personId, sign: [1, 2], now: ago(DAY) });
  await insertPledgeByCampaign({ personId: welshSigned.personId, sign: [1, 2], now: ago(DAY) });
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, withdrawn!.id)),
  );

  expect((await dashboardFigures({ now })).candidatesByNation).toEqual([
    { nation: "England", all: 1, some: 1, declined: 1, notYet: 1, standing: 4 },
    { nation: "Wales", all: 1, some: 0, declined: 0, notYet: 1, standing: 2 },
  ]);
});

test("each day from the launch to today has its figures, London days with nothing at 0", async () => {
  await insertCampaign();
  const seat = await aSeat();
  const signer = await insertCandidacy({ constituency: await insertConstituency() });
  const decliner = await insertCandidacy({ constituency: await insertConstituency() });
  // The launch: a pledge answered on the 16th, before any ask.
  await insertPledgeByCampaign({ personId: signer.personId, sign: [1], now: new Date("2024-06-16T09:00:00Z") });
  await insertPledgeByCampaign({ personId: decliner.personId, decline: [1, 2], now: new Date("2024-06-17T09:00:00Z") });
  // Signed, then withdrew: counts nowhere, as on the board.
  const withdrew = await insertCandidacy({ constituency: await insertConstituency() });
  await insertPledgeByCampaign({ personId: withdrew.personId, sign: [1, 2], now: new Date("2024-06-17T10:00:00Z") });
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, withdrew.id)),
  );
  await confirmedAsk(seat, {
    startedAt: new Date("2024-06-17T12:00:00Z"),
    confirmedAt: new Date("2024-06-18T08:00:00Z"),
  });
  // 00:30 on the 20th in London.
  await insertConfirmedAsk({ ...askFrom(seat), now: new Date("2024-06-19T23:30:00Z") });
  await insertConfirmedAsk({ ...askFrom(seat), now: ago(MINUTE) });
  // Not confirmed: no bar.
  await startAsk(seat, new Date("2024-06-19T12:00:00Z"));

  expect((await dashboardFigures({ now })).perDay).toEqual([
    { date: "2024-06-16", confirmedAsks: 0, signatures: 1 },
    { date: "2024-06-17", confirmedAsks: 0, signatures: 0 },
    { date: "2024-06-18", confirmedAsks: 1, signatures: 0 },
    { date: "2024-06-19", confirmedAsks: 0, signatures: 0 },
    { date: "2024-06-20", confirmedAsks: 2, signatures: 0 },
  ]);
});

test("a signature counts on the London day the pledge was first answered, not the day it last changed", async () => {
  await insertCampaign();
  const signer = await insertCandidacy({ constituency: await insertConstituency() });
  // 00:15 on the 19th in London; signed again (changed) today.
  await insertPledgeByCampaign({ personId: signer.personId, sign: [1], now: new Date("2024-06-18T23:15:00Z") });
  await insertPledgeByCampaign({ personId: signer.personId, sign: [1, 2], now: ago(HOUR) });

  expect((await dashboardFigures({ now })).perDay).toEqual([
    { date: "2024-06-19", confirmedAsks: 0, signatures: 1 },
    { date: "2024-06-20", confirmedAsks: 0, signatures: 0 },
  ]);
});

test("the days run from the first ask when it came before any pledge, across the clocks going forward", async () => {
  await insertCampaign();
  const seat = await aSeat();
  // 23:30 UTC on 30 March 2024 is 23:30 GMT, still the 30th; the clocks went forward on the 31st.
  await startAsk(seat, new Date("2024-03-30T23:30:00Z"));
  const april = new Date("2024-04-02T12:00:00Z");

  expect((await dashboardFigures({ now: april })).perDay.map((d) => d.date)).toEqual([
    "2024-03-30",
    "2024-03-31",
    "2024-04-01",
    "2024-04-02",
  ]);
});

test("a long campaign shows only its last 120 days", async () => {
  await insertCampaign();
  const seat = await aSeat();
  await insertConfirmedAsk({ ...askFrom(seat), now: ago(200 * DAY) });
  await insertConfirmedAsk({ ...askFrom(seat), now: ago(119 * DAY) });

  const perDay = (await dashboardFigures({ now })).perDay;
  expect(perDay).toHaveLength(120);
  expect(perDay[0]).toEqual({ date: "2024-02-22", confirmedAsks: 1, signatures: 0 });
  expect(perDay.at(-1)?.date).toBe("2024-06-20");
  expect(perDay.reduce((sum, d) => sum + d.confirmedAsks, 0)).toBe(1);
});

test("before anything has happened there is just today, at 0", async () => {
  await insertCampaign();
  expect((await dashboardFigures({ now })).perDay).toEqual([{ date: "2024-06-20", confirmedAsks: 0, signatures: 0 }]);
});

test("with no campaign set up yet the figures are all empty", async () => {
  expect(await dashboardFigures({ now })).toEqual({
    asks: {
      started: { today: 0, week: 0, total: 0 },
      confirmed: { today: 0, week: 0, total: 0 },
      confirmationRate: null,
      held: 0,
    },
    mails: { queued: 0, sending: 0, sent: 0, failed: 0, held: 0, cancelled: 0 },
    candidatesByNation: [],
    topConstituencies: [],
    perDay: [{ date: "2024-06-20", confirmedAsks: 0, signatures: 0 }],
  });
});

test("asks held for review are counted apart: confirmed by their supporters, not yet sent", async () => {
  await insertCampaign({ reviewRules: { maxAsksPerNetworkPerHour: 1 } });
  const seat = await aSeat();
  await confirmedAsk(seat, { startedAt: ago(HOUR), confirmedAt: ago(HOUR) });
  await confirmedAsk(seat, { startedAt: ago(HOUR), confirmedAt: ago(HOUR) });

  const { asks } = await dashboardFigures({ now });
  expect(asks.confirmed.total).toBe(1);
  expect(asks.held).toBe(1);
});
