// The invented election the tests run on: tests/fixtures/election/ holds the
// same kinds of file as data/ (which ships with the app and may change at any
// time), so editing the sample never breaks a test.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Path arithmetic, not `new URL`: jsdom's URL (in the .tsx tests) is not Node's.
export const fixtureElectionDir = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "election") + "/";

export type FixtureCampaign = {
  name: string;
  summary: string;
  fromEmail: string;
  points: { title: string; body: string }[];
};

/** The fixture's campaign settings, so a test asserts what the fixture says rather than copying it. */
export const fixtureCampaign = JSON.parse(
  readFileSync(`${fixtureElectionDir}campaign.json`, "utf8"),
) as FixtureCampaign;

// Seats of the fixture election that tests name. Brackenby Vale has five
// candidates, four with a published email, and no fixture pledges.
export const fixtureSeats = {
  brackenbyVale: "E14009004",
  wendlebury: "E14009003",
} as const;
