// The console's candidate list over the real 2024 election (4,515
// candidacies): paged and filtered in SQL, so a page reads fifty rows, not all.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { runImport } from "~/importers/import.server";
import { listCandidatesForStaff } from "~/models/staff-candidates.server";
import { fixtureElectionDir } from "../fixture-election";
import { realDataDir } from "../real-data";

const realData = realDataDir("the real-data candidate list test");

const files = [
  "HoC-GE2024-results-by-constituency.csv",
  "ons-pcon24-names-and-codes-uk-v2.csv",
  "oi-ge2024-candidates.csv",
];

describe.skipIf(!realData)("the staff candidate list of the real 2024 election", () => {
  test("4,515 candidates in pages of fifty, each page quick to read, filters narrowing in SQL", async () => {
    await loadCampaignSettings({ path: `${fixtureElectionDir}campaign.json` });
    for (const name of files) await runImport({ path: join(realData!, name) });

    const started = performance.now();
    const first = await listCandidatesForStaff({ page: 1 });
    const last = await listCandidatesForStaff({ page: 91 });
    const elapsed = performance.now() - started;
    expect([first.total, first.pageCount, first.rows.length]).toEqual([4515, 91, 50]);
    expect(last.rows).toHaveLength(15);
    // Two pages took about 15 ms when this was written; the bound is generous, for slow machines.
    expect(elapsed).toBeLessThan(500);

    const noEmail = await listCandidatesForStaff({ hasEmail: "no", page: 1 });
    const withEmail = await listCandidatesForStaff({ hasEmail: "yes", page: 1 });
    expect(noEmail.total + withEmail.total).toBe(4515);
    const seat = await listCandidatesForStaff({ constituency: "Ynys Môn", page: 1 });
    expect(seat.rows.length).toBeGreaterThan(0);
    expect(new Set(seat.rows.map((r) => r.constituencyName))).toEqual(new Set(["Ynys Môn"]));
  });
});
