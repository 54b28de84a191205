import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { listPublicListEntries, setHiddenFromPublicList } from "~/models/review.server";
import { publicSupporterName, shortDate } from "~/utils/names";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Public supporters list – Staff console" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  return data(
    {
      csrfToken: session.csrfToken,
      entries: (await listPublicListEntries()).map((e) => ({
        id: e.id,
        // As the public sees it: what an organiser judges.
        shownAs: publicSupporterName(e.name),
        confirmedOn: e.confirmedAt ? shortDate(e.confirmedAt) : "",
        constituencyName: e.constituencyName,
        hidden: e.hidden,
      })),
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const askId = Number(form.get("askId"));
  const intent = form.get("intent");
  if (!Number.isInteger(askId) || (intent !== "hide" && intent !== "show"))
    throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
  await setHiddenFromPublicList({ askId, hidden: intent === "hide", actor: session.account.email, now: new Date() });
  return data(
    { notice: intent === "hide" ? `Ask ${askId} is hidden from the public list.` : `Ask ${askId} is shown again.` },
    { headers: staffPageHeaders },
  );
}

export default function PublicList() {
  const { csrfToken, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      {result ? (
        <div className="notification" role="status">
          <p>{result.notice}</p>
        </div>
      ) : null}
      <h1 className="heading-xl">Public supporters list</h1>
      <p>
        The newest 100 supporters who agreed to be listed, as the public sees them. Hide a name that is abusive or not a
        real person&rsquo;s; their ask still counts.
      </p>
      {entries.length === 0 ? (
        <p>Nobody is on the public list yet.</p>
      ) : (
        <TableScroll label="Supporters on the public list">
          <table className="table">
            <caption className="visually-hidden">Supporters on the public list</caption>
            <thead>
              <tr>
                <th scope="col">Shown as</th>
                <th scope="col">Constituency</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.shownAs}</td>
                  <td>{e.constituencyName}</td>
                  <td>{e.confirmedOn}</td>
                  <td>{e.hidden ? <strong className="tag tag--grey">Hidden</strong> : "Shown"}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name={csrfField} value={csrfToken} />
                      <input type="hidden" name="askId" value={e.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={e.hidden ? "show" : "hide"}
                        className="button button--secondary button--small"
                      >
                        {e.hidden ? "Show" : "Hide"}
                        <span className="visually-hidden"> {e.shownAs}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
