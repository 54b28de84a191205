import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findCampaign } from "~/models/campaign.server";
import { findConstituencyBySlug, listCandidatesInConstituency } from "~/models/constituency.server";
import { publicUrl } from "~/utils/env.server";
import { noIndex } from "~/utils/private-page";
import { paths } from "~/utils/paths";
import { parseThankYouQuery } from "~/utils/page-query";
import { staticPage } from "~/utils/route-handle";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Message sent" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseThankYouQuery(new URL(request.url).searchParams);
  const constituency = await findConstituencyBySlug({ slug: query.constituencySlug });
  const campaign = await findCampaign();
  if (!constituency || !campaign) throw new Response("Not found", { status: 404 });
  // Only the candidates this supporter asked who have no published email, as
  // the confirmation found them; ids from the address are checked against the
  // constituency, so a made-up address can list no one else.
  const withoutEmail = (
    await listCandidatesInConstituency({
      electionId: campaign.electionId,
      gssCode: constituency.gssCode,
    })
  ).filter((c) => c.status === "standing" && !c.hasEmail && query.noEmailIds.has(String(c.id)));
  // Shared links carry nothing about the supporter: the constituency, not their postcode.
  const shareUrl = publicUrl(paths.constituency(constituency.slug));
  return {
    campaignName: campaign.name,
    constituency: { name: constituency.name, slug: constituency.slug },
    shareUrl,
    shareText: `I've asked my general election candidates in ${constituency.name} to sign the ${campaign.name} pledge. Will you ask yours?`,
    withoutEmail: withoutEmail.map((c) => ({
      id: c.id,
      name: c.name,
      partyName: c.partyName,
      homepageUrl: c.homepageUrl,
    })),
  };
}

export default function ThankYou() {
  const { constituency, shareUrl, shareText, withoutEmail } = useLoaderData<typeof loader>();
  const text = encodeURIComponent(shareText);
  const url = encodeURIComponent(shareUrl);
  return (
    <>
      <div className="panel">
        <h1 className="panel__title">Message sent</h1>
        <div className="panel__body">Thank you for asking your candidates in {constituency.name}</div>
      </div>
      <p>
        We are sending your message now. When a candidate signs, it will show on{" "}
        <Link to={paths.constituency(constituency.slug)}>the {constituency.name} page</Link>.
      </p>
      {withoutEmail.length > 0 ? (
        <>
          <h2 className="heading-m">Candidates we could not email</h2>
          <p>
            These candidates have not published an email address. We have counted your ask for them, and you could
            contact them another way, through their party or their website:
          </p>
          <ul className="list">
            {withoutEmail.map((c) => (
              <li key={c.id}>
                {c.name} ({c.partyName})
                {c.homepageUrl ? (
                  <>
                    {" "}
                    – <a href={c.homepageUrl}>website</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="heading-l">Ask your friends to do the same</h2>
      <p>
        Send them this link to the candidates in {constituency.name}. Friends who live elsewhere can find their own
        candidates from there.
      </p>
      <p className="inset-text inset-text--link">
        <a href={shareUrl}>{shareUrl}</a>
      </p>
      <ul className="list">
        <li>
          <a href={`https://wa.me/?text=${text}%20${url}`}>Share on WhatsApp</a>
        </li>
        <li>
          <a href={`https://www.facebook.com/sharer/sharer.php?u=${url}`}>Share on Facebook</a>
        </li>
        <li>
          <a href={`https://twitter.com/intent/tweet?text=${text}&url=${url}`}>Share on X (Twitter)</a>
        </li>
        <li>
          <a
            href={`mailto:?subject=${encodeURIComponent("Ask your candidates to sign the pledge")}&body=${text}%20${url}`}
          >
            Share by email
          </a>
        </li>
      </ul>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
