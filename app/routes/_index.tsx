import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findCampaign } from "~/models/campaign.server";
import { countCandidacies } from "~/models/candidacy.server";
import { countConstituencies } from "~/models/constituency.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.campaign?.name ?? "Pledge tracker" },
  { name: "description", content: data?.campaign?.summary ?? "" },
];

export function loader() {
  return {
    campaign: findCampaign(),
    constituencies: countConstituencies(),
    candidates: countCandidacies({ status: "standing" }),
  };
}

export default function Index() {
  const { campaign, constituencies, candidates } = useLoaderData<typeof loader>();
  if (!campaign) {
    return (
      <>
        <h1 className="heading-xl">Pledge tracker</h1>
        <p className="body-l">No campaign has been set up yet. Run <code>npm start</code> to load the sample election.</p>
      </>
    );
  }
  return (
    <>
      <h1 className="heading-xl">{campaign.name}</h1>
      <p className="body-l">{campaign.summary}</p>
      <h2 className="heading-l">The pledge</h2>
      <p>We are asking every candidate standing at the {campaign.electionName} to pledge to:</p>
      <ol className="pledge-points">
        {campaign.points.map((point) => (
          <li key={point.id}>
            <h3 className="heading-m">{point.title}</h3>
            <p>{point.body}</p>
          </li>
        ))}
      </ol>
      <h2 className="heading-l">Who is standing where you live</h2>
      <p>
        {candidates.toLocaleString("en-GB")} candidates are standing in {constituencies.toLocaleString("en-GB")}{" "}
        constituencies.
      </p>
      <p>
        <Link to="/constituencies" className="button">
          Find your constituency
        </Link>
      </p>
    </>
  );
}
