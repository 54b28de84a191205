// What the open data files hold, where it comes from and how it may be
// reused. One copy, read by the JSON files' `meta` and by the /data page, so
// the documentation cannot drift from the files.
import { publicCacheControl } from "./http-cache";
import { SUPPRESS_BELOW } from "./suppressed-count";
import { paths } from "./paths";

export const openDataFiles = [
  {
    href: "/data/pledges.csv",
    name: "pledges.csv",
    description: "One row per candidate: who they are and how they answered each point. For spreadsheets.",
  },
  {
    href: "/data/pledges.json",
    name: "pledges.json",
    description: "The same as pledges.csv, as JSON, with the points' titles and the attribution.",
  },
  {
    href: "/data/constituencies.json",
    name: "constituencies.json",
    description:
      "One entry per constituency: how many candidates stand, how many signed, and how many supporters asked them.",
  },
] as const;

export type FieldDoc = { name: string; description: string; only?: "csv" | "json" };

export const pledgeFields: FieldDoc[] = [
  {
    name: "person_id",
    description:
      "Democracy Club's id for the candidate (their page is candidates.democracyclub.org.uk/person/<person_id>).",
  },
  { name: "person_name", description: "The candidate's name, as Democracy Club has it." },
  { name: "ballot_paper_id", description: "Democracy Club's id for the ballot, such as parl.aldershot.2024-07-04." },
  { name: "election_id", description: "Democracy Club's id for the election, such as parl.2024-07-04." },
  {
    name: "gss_code",
    description: "The Office for National Statistics (GSS) code of the constituency, such as E14001063.",
  },
  { name: "constituency_name", description: "The constituency's name." },
  {
    name: "party_id",
    description:
      "The party's id as Democracy Club gives it: the Electoral Commission's register number (PP53), a joint description (joint-party:53-119) or ynmp-party:2 for an Independent.",
  },
  { name: "party_name", description: "The party's registered name." },
  {
    name: "candidacy_status",
    description: "standing, or withdrawn if the candidate is no longer on Democracy Club's list for this ballot.",
  },
  {
    name: "pledge_status",
    description:
      "signed-all (signed every point), signed-some (signed some points but not all), declined (declined and signed none), no-answer, or withdrawn. The same status the board and the map show.",
  },
  {
    name: "point_1, point_2, …",
    description:
      "The answer to each pledge point, numbered as on this site: signed, declined, or empty when not answered.",
    only: "csv",
  },
  {
    name: "points",
    description:
      'Each pledge point in order: its position, its title and the answer: "signed", "declined" or null when not answered.',
    only: "json",
  },
  {
    name: "statement",
    description:
      "What the candidate said with their answers, in their own words (up to 1,000 characters). Empty if they gave none.",
  },
  {
    name: "first_answered_at",
    description: "When the candidate first answered, in UTC (ISO 8601). Empty if they have not answered.",
  },
  {
    name: "updated_at",
    description: "When their answers or statement last changed, in UTC (ISO 8601). Empty if they have not answered.",
  },
  {
    name: "trust_mark",
    description:
      "How we know the answers are the candidate's: verified-by-email (given through a link sent to the email address the candidate published) or recorded-by-campaign (made in public elsewhere and recorded by the campaign with evidence). Empty if they have not answered.",
  },
];

export const constituencyFields: FieldDoc[] = [
  { name: "gss_code", description: "The Office for National Statistics (GSS) code of the constituency." },
  { name: "name", description: "The constituency's name." },
  { name: "nation", description: "England, Scotland, Wales or Northern Ireland." },
  {
    name: "region_code",
    description: "The ONS code of the English region, or of the nation elsewhere. Null if not known.",
  },
  { name: "region", description: "The region's name (the nation's, outside England). Null if not known." },
  {
    name: "candidates",
    description: "Candidates standing (withdrawn candidates are not counted anywhere in this file).",
  },
  { name: "signed", description: "Standing candidates who signed every point." },
  { name: "signed_some", description: "Standing candidates who signed some points but not all." },
  { name: "declined", description: "Standing candidates who declined and signed none." },
  {
    name: "no_answer",
    description: "Standing candidates who have not answered. signed + signed_some + declined + no_answer = candidates.",
  },
  {
    name: "asks",
    description: `Supporters in the constituency who confirmed an ask to their candidates. Null when there are fewer than ${SUPPRESS_BELOW} (including none), so no one can be singled out.`,
  },
  {
    name: "asks_suppressed",
    description: `true when asks is hidden because there are fewer than ${SUPPRESS_BELOW}; false when asks is the exact count.`,
  },
];

export type Attribution = { source: string; provides: string; url: string; licence: string; licence_url: string };

/** The licence of the files as a whole: they adapt Democracy Club's CC BY-SA data, so they share alike. */
export const openDataLicence = {
  name: "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)",
  url: "https://creativecommons.org/licenses/by-sa/4.0/",
};

export function openDataAttribution({
  campaignName,
  siteUrl,
}: {
  campaignName: string;
  siteUrl: string;
}): Attribution[] {
  return [
    {
      source: "Democracy Club",
      provides:
        "Candidates, their parties and ballots: person_id, person_name, ballot_paper_id, election_id, party_id, party_name, candidacy_status",
      url: "https://candidates.democracyclub.org.uk/",
      licence: "CC BY-SA 3.0",
      licence_url: "https://creativecommons.org/licenses/by-sa/3.0/",
    },
    {
      source: "Office for National Statistics",
      provides: "Constituency names and GSS codes",
      url: "https://geoportal.statistics.gov.uk/",
      licence: "Open Government Licence v3.0",
      licence_url: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    {
      source: "House of Commons Library",
      provides: "Each constituency's nation and region",
      url: "https://commonslibrary.parliament.uk/research-briefings/cbp-10009/",
      licence: "Open Parliament Licence v3.0",
      licence_url: "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
    },
    {
      source: campaignName,
      provides: "Pledge answers, statements, trust marks and dates, and the counts of supporters' asks",
      url: siteUrl,
      licence: "CC BY-SA 4.0",
      licence_url: openDataLicence.url,
    },
  ];
}

/** The `meta.fields` object of a JSON file: field name → description. */
export function jsonFieldDescriptions(fields: FieldDoc[]): Record<string, string> {
  return Object.fromEntries(fields.filter((f) => f.only !== "csv").map((f) => [f.name, f.description]));
}

/**
 * The `meta` of a JSON file, e-petitions style: what it is, when it was made,
 * the licence and sources (which a CSV cannot carry in-band), and its fields.
 */
export function openDataMeta({
  campaign,
  generatedAt,
  publicUrl,
  fields,
}: {
  campaign: { name: string; electionId: string };
  generatedAt: Date;
  publicUrl: string;
  fields: FieldDoc[];
}) {
  return {
    campaign: campaign.name,
    election_id: campaign.electionId,
    generated_at: generatedAt.toISOString(),
    documentation: new URL(paths.data, publicUrl).href,
    licence: openDataLicence,
    attribution: openDataAttribution({ campaignName: campaign.name, siteUrl: new URL("/", publicUrl).href }),
    fields: jsonFieldDescriptions(fields),
  };
}

/**
 * Headers for every file: cacheable like the public pages, readable from any
 * site (it is open data), and pointing at /data, which documents the fields
 * and carries the attribution the CSV has no room for.
 */
export function openDataHeaders({ contentType }: { contentType: string }): Record<string, string> {
  return {
    "Content-Type": contentType,
    "Cache-Control": publicCacheControl,
    "Access-Control-Allow-Origin": "*",
    Link: '</data>; rel="describedby"',
    "X-Content-Type-Options": "nosniff",
  };
}
