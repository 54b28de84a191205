import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { staffRoles } from "#db/enums";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextField } from "~/components/field";
import {
  createStaffAccount,
  issueSetUpLink,
  listStaffAccounts,
  setStaffAccountDisabled,
  StaffAccountExists,
} from "~/models/staff.server";
import { publicUrl } from "~/utils/env.server";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { staffRoleLabels } from "~/utils/staff-roles";
import { ukDateTime } from "~/utils/time";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  return data(
    {
      csrfToken: session.csrfToken,
      me: session.account.id,
      accounts: (await listStaffAccounts()).map((a) => ({
        ...a,
        lastSignInAt: a.lastSignInAt ? ukDateTime(a.lastSignInAt) : null,
      })),
    },
    { headers: staffPageHeaders },
  );
}

const addSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter their email address")
    .pipe(z.email("Enter an email address in the correct format, like name@example.org")),
  role: z.enum(staffRoles, { error: "Select a role" }),
});

type ActionResult =
  | { errors: FieldErrors; values: { email: string; role: string } }
  | { link: { email: string; url: string } }
  | { done: string };

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const actor = session.account.email;
  const now = new Date();
  const intent = form.get("intent");
  const accountId = Number(form.get("accountId"));
  const target = (await listStaffAccounts()).find((a) => a.id === accountId);
  const reply = (result: ActionResult, status = 200) => data(result, { status, headers: staffPageHeaders });
  if (intent === "add") {
    const values = { email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "") };
    const parsed = addSchema.safeParse(values);
    if (!parsed.success) return reply({ errors: fieldErrorsOf(parsed.error), values }, 400);
    try {
      const { token } = await createStaffAccount({ ...parsed.data, actor, now });
      return reply({ link: { email: parsed.data.email.toLowerCase(), url: publicUrl(paths.staffSetUp(token)) } });
    } catch (error) {
      if (!(error instanceof StaffAccountExists)) throw error;
      return reply({ errors: { email: "There is already a staff account for this email address" }, values }, 400);
    }
  }
  if (!target) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  if (intent === "link") {
    const token = await issueSetUpLink({ accountId: target.id, actor, now });
    return reply({ link: { email: target.email, url: publicUrl(paths.staffSetUp(token)) } });
  }
  if ((intent === "disable" || intent === "enable") && target.id !== session.account.id) {
    await setStaffAccountDisabled({ accountId: target.id, disabled: intent === "disable", actor, now });
    return reply({
      done: `${target.email} is ${intent === "disable" ? "disabled and signed out everywhere" : "enabled"}.`,
    });
  }
  throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
}

export default function StaffAccounts() {
  const { csrfToken, me, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "errors" in result ? result.errors : {};
  const values = result && "values" in result ? result.values : { email: "", role: "" };
  return (
    <>
      <title>{errorTitle("Staff accounts – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      {result && "link" in result ? (
        <div className="notification" role="status">
          <h2 className="heading-m">Send this set-up link to {result.link.email}</h2>
          <p>It works once, for 24 hours. Send it privately: whoever has it can set the password.</p>
          <p>
            <code className="secret-key">{result.link.url}</code>
          </p>
        </div>
      ) : null}
      {result && "done" in result ? (
        <div className="notification" role="status">
          <p>{result.done}</p>
        </div>
      ) : null}
      <h1 className="heading-xl">Staff accounts</h1>
      <TableScroll label="Staff accounts">
        <table className="table">
          <caption className="visually-hidden">Staff accounts</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last signed in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.email}</td>
                <td>{staffRoleLabels[a.role]}</td>
                <td>
                  {a.disabledAt
                    ? "Disabled"
                    : !a.hasPassword
                      ? "Set-up link sent"
                      : a.hasSecondFactor
                        ? "Password and code"
                        : "Password only"}
                </td>
                <td>{a.lastSignInAt ?? "Never"}</td>
                <td>
                  <Form method="post" className="inline-actions">
                    <input type="hidden" name={csrfField} value={csrfToken} />
                    <input type="hidden" name="accountId" value={a.id} />
                    <button type="submit" name="intent" value="link" className="button button--secondary button--small">
                      New set-up link<span className="visually-hidden"> for {a.email}</span>
                    </button>
                    {a.id === me ? null : (
                      <button
                        type="submit"
                        name="intent"
                        value={a.disabledAt ? "enable" : "disable"}
                        className="button button--secondary button--small"
                      >
                        {a.disabledAt ? "Enable" : "Disable"}
                        <span className="visually-hidden"> {a.email}</span>
                      </button>
                    )}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h2 className="heading-l">Add a member of staff</h2>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <TextField
          id="email"
          label="Email address"
          type="email"
          spellCheck={false}
          defaultValue={values.email}
          error={errors.email}
        />
        <ChoiceGroup
          id="role"
          name="role"
          type="radio"
          legend="Role"
          error={errors.role}
          checked={[values.role]}
          options={[
            { value: "viewer", label: "Viewer", hint: "Sees the dashboard." },
            {
              value: "organiser",
              label: "Organiser",
              hint: "Also clears the review queue, works the outbox and the block list.",
            },
            {
              value: "admin",
              label: "Admin",
              hint: "Also manages staff accounts and downloads supporters. Must use a code from an app.",
            },
          ]}
        />
        <button type="submit" name="intent" value="add" className="button">
          Add and make a set-up link
        </button>
      </Form>

      <h2 className="heading-l">Sign out everywhere</h2>
      <p>Ends every session of your own account, on every device, including this one.</p>
      <Form method="post" action={paths.staffSignOut}>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <button type="submit" name="everywhere" value="yes" className="button button--secondary">
          Sign out everywhere
        </button>
      </Form>
    </>
  );
}
