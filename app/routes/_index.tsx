import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ConstituencyPicker } from "~/components/constituency-picker";
import { TextField } from "~/components/field";
import { findCampaign } from "~/models/campaign.server";
import { countCandidacies } from "~/models/candidacy.server";
import { countConstituencies, listConstituencyChoices } from "~/models/constituency.server";
import { readPostcodeParam } from "~/utils/page-query";
import { publicPageHeaders } from "~/utils/http-cache";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.campaign?.name ?? "Pledge tracker" },
  { name: "description", content: data?.campaign?.summary ?? "" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const shared = readPostcodeParam(new URL(request.url).searchParams);
  return {
    campaign: await findCampaign(),
    constituencies: await countConstituencies(),
    candidates: await countCandidacies({ status: "standing" }),
    // A friend's link (/?postcode=…) fills the postcode in; anything that is
    // not a postcode is shown as it came, to be corrected, but not at length.
    postcode: shared.postcode ?? shared.asTyped,
    choices: await listConstituencyChoices(),
  };
}

export default function Index() {
  const { campaign, constituencies, candidates, postcode, choices } = useLoaderData<typeof loader>();
  if (!campaign) {
    return (
      <>
        <h1 className="heading-xl">Pledge tracker</h1>
        <p className="body-l">
          No campaign has been set up yet. Load its settings with <code>npm run campaign -- FILE</code> (like{" "}
          <code>data/campaign.json</code>), or restart the server, which loads them into a database that has none.
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="heading-xl">{campaign.name}</h1>
      <p className="body-l">{campaign.summary}</p>
      <section aria-labelledby="find-heading" className="find-constituency">
        <h2 className="heading-l" id="find-heading">
          Ask the candidates where you live
        </h2>
        {/* GET to /find: works without JavaScript, and the result can be shared. */}
        <Form method="get" action={paths.find} noValidate>
          <TextField
            id="postcode"
            label="Enter your postcode"
            hint="For example, SW1A 1AA"
            defaultValue={postcode}
            autoComplete="postal-code"
            spellCheck={false}
            className="input--postcode"
          />
          <button type="submit" className="button">
            Find constituency
          </button>
        </Form>
        <details className="details">
          <summary className="details__summary">I do not know my postcode</summary>
          <div className="details__text">
            <ConstituencyPicker choices={choices} />
          </div>
        </details>
      </section>
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
        <Link to={paths.constituencies} className="button">
          Find your constituency
        </Link>
      </p>
    </>
  );
}
