// node --import tsx tests/e2e/seed-real-election.ts, with DATABASE_PATH (or
// DATABASE_URL=postgres://…) set to a database the real files were imported
// into (scripts/import.ts): adds the
// fixture campaign settings (tests/fixtures/election) and some invented answers, so the map of the
// real election shows every colour. For browser tests only.
import { and, asc, eq } from "drizzle-orm";
import { closeDb } from "#db/index";
import { candidacies } from "#db/schema";
import { findCampaign } from "~/models/campaign.server";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { recordPledgeByCampaign } from "~/models/pledge.server";
import { db } from "~/utils/db.server";
import { fixtureElectionDir } from "../fixture-election";

await loadCampaignSettings({ path: `${fixtureElectionDir}campaign.json` });
const campaign = (await findCampaign())!;
const people = (
  await db
    .select({ personId: candidacies.personId })
    .from(candidacies)
    .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.status, "standing")))
    .orderBy(asc(candidacies.id))
).map((c) => c.personId);

// A fixed pattern, so every run draws the same map.
for (const [i, personId] of people.entries()) {
  const answer = i % 9 === 0 ? "all" : i % 13 === 0 ? "some" : i % 17 === 0 ? "decline" : null;
  if (!answer) continue;
  const answers = Object.fromEntries(
    campaign.points.map(
      (p, n) => [p.id, answer === "all" || (answer === "some" && n < 2) ? "signed" : "declined"] as const,
    ),
  );
  await recordPledgeByCampaign({
    electionId: campaign.electionId,
    personId,
    answers,
    statement: null,
    evidenceUrl: "https://example.org/invented-for-a-test",
    note: "Invented for the map's browser test",
    recordedBy: "browser test",
    now: new Date("2024-06-20T12:00:00.000Z"),
  });
}
// PostgreSQL's pool would keep the process waiting on its idle connections.
await closeDb(db);
