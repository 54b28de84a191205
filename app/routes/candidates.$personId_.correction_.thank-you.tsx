import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findCandidacyIdByPerson, findCandidacySummary } from "~/models/candidacy.server";
import { correctionKeptFor } from "~/utils/corrections";
import { paths } from "~/utils/paths";
import { noIndex } from "~/utils/private-page";
import { staticPage } from "~/utils/route-handle";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Report sent" }, noIndex];

export async function loader({ params }: LoaderFunctionArgs) {
  const candidacyId = await findCandidacyIdByPerson({ personId: params.personId ?? "" });
  const candidacy = candidacyId === undefined ? undefined : await findCandidacySummary({ candidacyId });
  if (!candidacy) throw new Response("Not found", { status: 404 });
  return { candidacy: { name: candidacy.name, personId: candidacy.personId } };
}

export default function CorrectionSent() {
  const { candidacy } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="panel">
        <h1 className="panel__title">Report sent</h1>
        <div className="panel__body">Thank you for helping us keep {candidacy.name}&rsquo;s page right</div>
      </div>
      <p>
        We will check what you told us and correct the page if it is wrong. If you gave your email address, we may write
        to ask you about it. We delete your report {correctionKeptFor} after we have dealt with it.
      </p>
      <p>
        <Link to={paths.candidate(candidacy.personId)}>Back to {candidacy.name}</Link>
      </p>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
