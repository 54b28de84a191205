import { expect, test } from "vitest";
import { listAskableCandidates, submitAsk } from "~/models/ask.server";
import { loader as thankYouLoader } from "~/routes/asks.thank-you";
import { loader as constituencyLoader } from "~/routes/constituencies.$slug";
import { buildAsk, insertCampaign, insertCandidacy, insertConstituency, insertElection } from "../factories";

// A seat's GSS code outlives an election: the candidates of another election
// in the same seat (an earlier one kept for the record, or the next one being
// imported) are not the campaign's to show or to ask.
async function setUp() {
  const campaign = await insertCampaign();
  const seat = await insertConstituency({ name: "Fenhallow Vale" });
  const ours = await insertCandidacy({
    constituency: seat,
    electionId: campaign.electionId,
    email: "ours@example.org",
  });
  const other = await insertElection({ id: "parl.2029-05-03", date: "2029-05-03", name: "The next one" });
  const theirs = await insertCandidacy({ constituency: seat, electionId: other.id });
  return { seat, ours, theirs };
}

const args = (url: string, params: Record<string, string> = {}) => ({ request: new Request(url), params, context: {} });

test("the ask form offers only the campaign's election's candidates", async () => {
  const { seat, ours } = await setUp();
  expect((await listAskableCandidates({ constituencyCode: seat.gssCode })).map((c) => c.id)).toEqual([ours.id]);
});

test("the constituency page lists only the campaign's election's candidates", async () => {
  const { seat, ours } = await setUp();
  const page = await constituencyLoader(args(`http://localhost/constituencies/${seat.slug}`, { slug: seat.slug }));
  expect(page.candidates.map((c) => c.id)).toEqual([ours.id]);
});

test("an ask naming only another election's candidate is refused, and the thank-you page never lists one", async () => {
  const { seat, theirs } = await setUp();
  const ask = buildAsk({ constituencyCode: seat.gssCode, candidacyIds: [theirs.id] });
  await expect(submitAsk({ ask, clientIp: "192.0.2.1", now: new Date() })).rejects.toThrow(/at least one candidate/);
  const thanks = await thankYouLoader(
    args(`http://localhost/asks/thank-you?constituency=${seat.slug}&noEmail=${theirs.id}`),
  );
  expect(thanks.withoutEmail).toEqual([]);
});
