// Loads the fixture election (tests/fixtures/election) into this test file's
// database through the sample loader, and finds its people by person id.
import { asc, eq } from "drizzle-orm";
import { candidacies } from "#db/schema";
import { loadSampleElectionIfEmpty } from "~/importers/sample.server";
import { findCampaign } from "~/models/campaign.server";
import { db } from "~/utils/db.server";
import { fixtureElectionDir } from "./fixture-election";

const columns = {
  id: candidacies.id,
  personId: candidacies.personId,
  name: candidacies.name,
  email: candidacies.email,
  constituencyCode: candidacies.constituencyCode,
};

/** The candidacy of a fixture person, by Democracy Club person id. */
export function fixtureCandidacy(personId: string) {
  const row = db.select(columns).from(candidacies).where(eq(candidacies.personId, personId)).get();
  if (!row) throw new Error(`The fixture election has no person ${personId}`);
  return row;
}

/** Every candidacy in a fixture constituency, by name. */
export function fixtureCandidaciesIn(constituencyCode: string) {
  return db
    .select(columns)
    .from(candidacies)
    .where(eq(candidacies.constituencyCode, constituencyCode))
    .orderBy(asc(candidacies.name))
    .all();
}

/** Loads the fixture election into an empty database (a second call in the same test changes nothing) and returns its campaign. */
export function loadFixtureElection({ now = new Date() }: { now?: Date } = {}) {
  loadSampleElectionIfEmpty({ dir: fixtureElectionDir, now });
  const campaign = findCampaign();
  if (!campaign) throw new Error("The fixture election has no campaign");
  return { campaign, points: campaign.points };
}
