import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/staff-auth.server";
import { findSettingsVersion } from "~/models/campaign.server";
import { campaignSchema } from "~/utils/campaign-settings";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, { role: "admin" });
  const id = Number(params.id);
  const version = Number.isSafeInteger(id) ? await findSettingsVersion({ id }) : undefined;
  if (!version) throw new Response("Not found", { status: 404 });
  // A version is shown as the settings it kept; the raw JSON too, for what
  // the schema of the day may not name.
  const parsed = campaignSchema.safeParse(version.settings);
  return data(
    {
      id: version.id,
      savedBy: version.savedBy,
      when: ukDateTime(version.createdAt),
      settings: parsed.success ? parsed.data : null,
      json: JSON.stringify(version.settings, null, 2),
    },
    { headers: staffPageHeaders },
  );
}

export default function SettingsVersion() {
  const { id, savedBy, when, settings, json } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{`Version ${id} of the settings – Staff console`}</title>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.staffSettings}>Settings</Link>
          </li>
          <li>
            <Link to={paths.staffSettingsVersions}>Saved versions</Link>
          </li>
        </ol>
      </nav>
      <h1 className="heading-xl">Version {id} of the settings</h1>
      <p>
        Saved on {when} by <span className="break-anywhere">{savedBy}</span>.
      </p>
      {settings ? (
        <>
          <dl className="summary-list">
            <div>
              <dt>Campaign name</dt>
              <dd>{settings.name}</dd>
            </div>
            <div>
              <dt>Summary</dt>
              <dd>{settings.summary}</dd>
            </div>
            <div>
              <dt>Sender&rsquo;s email address</dt>
              <dd className="break-anywhere">{settings.fromEmail}</dd>
            </div>
            <div>
              <dt>Most asks to one candidate in an hour</dt>
              <dd>{settings.askHourlyCap}</dd>
            </div>
            <div>
              <dt>Election</dt>
              <dd>
                {settings.electionName} ({settings.electionId})
              </dd>
            </div>
          </dl>
          <h2 className="heading-l">The points</h2>
          <ol className="pledge-points">
            {settings.points.map((point, i) => (
              <li key={i}>
                <h3 className="heading-m">{point.title}</h3>
                <p>{point.body}</p>
              </li>
            ))}
          </ol>
          <h2 className="heading-l">Wordings of the ask</h2>
          {settings.wordingVariants.map((wording) => (
            <div key={wording.id}>
              <h3 className="heading-m">{wording.label}</h3>
              <p className="mail-preview">
                {wording.opening}
                {"\n\n…\n\n"}
                {wording.closing}
              </p>
            </div>
          ))}
          <h2 className="heading-l">Prompts for the personal message</h2>
          {settings.messagePrompts.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul className="list list--bullet">
              {settings.messagePrompts.map((prompt, i) => (
                <li key={i}>{prompt}</li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      <details className="details" open={settings === null}>
        <summary>All the settings as saved (JSON)</summary>
        <pre className="details__text mail-preview">{json}</pre>
      </details>
    </>
  );
}
