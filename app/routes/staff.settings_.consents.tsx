import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { TextArea } from "~/components/field";
import { currentConsentTexts, listConsentTextVersions, saveConsentWordings } from "~/models/consent.server";
import { consentPurposeLabels, consentVersionName } from "~/utils/consent";
import { fieldErrorsOf } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";
import { ukDateTime } from "~/utils/time";
import { SettingsPageTop } from "~/components/settings-page-top";

// The wordings of the consents on the ask form. A changed wording is saved as
// a new version: every consent already given keeps the version it was given
// under, and the ask form shows the new one from the next page load.

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const WORDING_MAX = 500;

function wording(subject: string) {
  return z
    .string()
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, `Enter the wording ${subject}`)
        .max(WORDING_MAX, `The wording must be ${WORDING_MAX} characters or fewer`),
    );
}

// In the order the page shows them, so the error summary lists them in that order too.
const consentsForm = z.object({
  sendAsk: wording("a supporter agrees to by pressing Send"),
  publicList: wording("of the public list box"),
  updates: wording("of the campaign updates box"),
});

type Values = Record<keyof typeof consentsForm.shape, string>;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const current = await currentConsentTexts();
  const values: Values = {
    sendAsk: current["send-ask"].wording,
    publicList: current["public-list"].wording,
    updates: current.updates.wording,
  };
  return data(
    {
      csrfToken: session.csrfToken,
      saved: new URL(request.url).searchParams.get("saved"),
      values,
      versions: await listConsentTextVersions(),
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const values: Values = {
    sendAsk: String(form.get("sendAsk") ?? ""),
    publicList: String(form.get("publicList") ?? ""),
    updates: String(form.get("updates") ?? ""),
  };
  const parsed = consentsForm.safeParse(values);
  if (!parsed.success)
    return data({ errors: fieldErrorsOf(parsed.error), values }, { status: 400, headers: staffPageHeaders });
  const saved = await saveConsentWordings({
    wordings: { "send-ask": parsed.data.sendAsk, "public-list": parsed.data.publicList, updates: parsed.data.updates },
    actor: session.account.email,
    now: new Date(),
  });
  throw redirect(withQuery(paths.staffSettingsConsents, { saved: saved.outcome === "saved" ? "yes" : "unchanged" }), {
    headers: staffPageHeaders,
  });
}

export default function ConsentSettings() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const values = posted?.values ?? loaded.values;
  return (
    <>
      <SettingsPageTop
        title="Consent wordings"
        errors={errors}
        saved={posted ? null : loaded.saved}
        savedMessage="Each changed wording is saved as a new version. The ask form shows it now; consents already given keep theirs."
      />
      <h1 className="heading-xl">Consent wordings</h1>
      <p>
        What supporters agree to on the ask form. We record, with each consent, the exact version of the wording the
        person was shown, so a change here never alters what someone already agreed to.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={loaded.csrfToken} />
        <TextArea
          id="sendAsk"
          label={consentPurposeLabels["send-ask"]}
          hint="Shown above the Send button on the check-your-message page."
          rows={3}
          defaultValue={values.sendAsk}
          error={errors.sendAsk}
        />
        <TextArea
          id="publicList"
          label={consentPurposeLabels["public-list"]}
          hint="The label of the public list box on the ask form."
          rows={3}
          defaultValue={values.publicList}
          error={errors.publicList}
        />
        <TextArea
          id="updates"
          label={consentPurposeLabels.updates}
          hint="The label of the campaign updates box on the ask form."
          rows={3}
          defaultValue={values.updates}
          error={errors.updates}
        />
        <button type="submit" className="button">
          Save consent wordings
        </button>
      </Form>
      <h2 className="heading-l">Every version</h2>
      <table className="table">
        <caption className="visually-hidden">Every version of each consent wording, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Wording</th>
            <th scope="col">Saved</th>
          </tr>
        </thead>
        <tbody>
          {loaded.versions.map((v) => (
            <tr key={v.id}>
              <td>{consentVersionName(v)}</td>
              <td>{v.wording}</td>
              <td>{ukDateTime(v.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
