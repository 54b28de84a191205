import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { blockListKinds, type BlockListKind } from "#db/enums";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextField } from "~/components/field";
import { addBlockListEntry, listBlockList, removeBlockListEntry } from "~/models/block-list.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { shortDate } from "~/utils/names";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const kindLabels: Record<BlockListKind, string> = {
  email: "Email address",
  domain: "Email domain",
  address: "Client address",
  network: "Network",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  return data(
    {
      csrfToken: session.csrfToken,
      entries: (await listBlockList()).map((e) => ({ ...e, createdAt: shortDate(e.createdAt) })),
    },
    { headers: staffPageHeaders },
  );
}

type Result = { errors: FieldErrors; values: { kind: string; value: string; note: string } } | { notice: string };

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const now = new Date();
  const actor = session.account.email;
  const reply = (result: Result, status = 200) => data(result, { status, headers: staffPageHeaders });
  if (form.get("intent") === "remove") {
    const removed = await removeBlockListEntry({ id: Number(form.get("id")), actor, now });
    return reply({ notice: removed.outcome === "removed" ? "The entry was removed." : "That entry was already gone." });
  }
  const values = {
    kind: String(form.get("kind") ?? ""),
    value: String(form.get("value") ?? ""),
    note: String(form.get("note") ?? "")
      .trim()
      .slice(0, 500),
  };
  if (!(blockListKinds as readonly string[]).includes(values.kind))
    return reply({ errors: { kind: "Select what to block" }, values }, 400);
  if (values.value.trim() === "") return reply({ errors: { value: "Enter what to block" }, values }, 400);
  const added = await addBlockListEntry({
    kind: values.kind as BlockListKind,
    value: values.value,
    note: values.note || null,
    accountId: session.account.id,
    actor,
    now,
  });
  if (added.outcome === "invalid") return reply({ errors: { value: added.error }, values }, 400);
  return reply({
    notice: added.outcome === "added" ? "Added to the block list." : "That is on the block list already.",
  });
}

export default function BlockList() {
  const { csrfToken, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "errors" in result ? result.errors : {};
  const values = result && "values" in result ? result.values : { kind: "", value: "", note: "" };
  return (
    <>
      <title>{errorTitle("Block list – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      {result && "notice" in result ? (
        <div className="notification" role="status">
          <p>{result.notice}</p>
        </div>
      ) : null}
      <h1 className="heading-xl">Block list</h1>
      <p>
        Asks matching an entry are held in the review queue when they are confirmed, never silently dropped. A domain
        covers its subdomains.
      </p>
      {entries.length === 0 ? (
        <p>The block list is empty.</p>
      ) : (
        <TableScroll label="Block list entries">
          <table className="table">
            <caption className="visually-hidden">Block list entries</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Blocks</th>
                <th scope="col">Note</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{kindLabels[e.kind]}</td>
                  <td className="break-anywhere">{e.label}</td>
                  <td>{e.note}</td>
                  <td>
                    {e.createdAt}
                    {e.createdBy ? ` by ${e.createdBy}` : ""}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name={csrfField} value={csrfToken} />
                      <input type="hidden" name="id" value={e.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="remove"
                        className="button button--secondary button--small"
                      >
                        Remove<span className="visually-hidden"> {e.label}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2 className="heading-l">Add to the block list</h2>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <ChoiceGroup
          id="kind"
          name="kind"
          type="radio"
          legend="What do you want to block?"
          error={errors.kind}
          checked={[values.kind]}
          options={blockListKinds.map((kind) => ({ value: kind, label: kindLabels[kind] }))}
        />
        <TextField
          id="value"
          label="Email, domain, address or network"
          hint="For example troll@example.org, example.org, 203.0.113.7, or 203.0.113.0/24. To block where a held ask came from without seeing its address, use the buttons on the ask."
          spellCheck={false}
          defaultValue={values.value}
          error={errors.value}
        />
        <TextField id="note" label="Note (optional)" hint="Why, for your colleagues." defaultValue={values.note} />
        <button type="submit" name="intent" value="add" className="button">
          Add to the block list
        </button>
      </Form>
    </>
  );
}
