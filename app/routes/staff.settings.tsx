import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextField } from "~/components/field";
import { requireCampaign } from "~/models/campaign.server";
import { reviewRulesOf, saveReviewRules } from "~/models/review.server";
import { errorTitle, fieldErrorsOf } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { reviewRulesSchema } from "~/utils/review-rules";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const rules = reviewRulesOf(await requireCampaign());
  return data(
    {
      csrfToken: session.csrfToken,
      saved: new URL(request.url).searchParams.get("saved") === "yes",
      values: {
        maxAsksPerAddressPerHour: String(rules.maxAsksPerAddressPerHour),
        maxAsksPerNetworkPerHour: String(rules.maxAsksPerNetworkPerHour),
        maxAsksWithSameMessage: String(rules.maxAsksWithSameMessage),
        holds: [
          rules.holdLinks ? "holdLinks" : null,
          rules.holdDisposableDomains ? "holdDisposableDomains" : null,
        ].filter((v): v is string => v !== null),
      },
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const holds = form.getAll("holds").map(String);
  const values = {
    maxAsksPerAddressPerHour: String(form.get("maxAsksPerAddressPerHour") ?? "").trim(),
    maxAsksPerNetworkPerHour: String(form.get("maxAsksPerNetworkPerHour") ?? "").trim(),
    maxAsksWithSameMessage: String(form.get("maxAsksWithSameMessage") ?? "").trim(),
    holds,
  };
  const parsed = reviewRulesSchema.safeParse({
    maxAsksPerAddressPerHour: values.maxAsksPerAddressPerHour,
    maxAsksPerNetworkPerHour: values.maxAsksPerNetworkPerHour,
    maxAsksWithSameMessage: values.maxAsksWithSameMessage,
    holdLinks: holds.includes("holdLinks"),
    holdDisposableDomains: holds.includes("holdDisposableDomains"),
  });
  if (!parsed.success)
    return data({ errors: fieldErrorsOf(parsed.error), values }, { status: 400, headers: staffPageHeaders });
  await saveReviewRules({ rules: parsed.data, actor: session.account.email, now: new Date() });
  throw redirect(withQuery(paths.staffSettings, { saved: "yes" }), { headers: staffPageHeaders });
}

export default function Settings() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? loaded.values;
  return (
    <>
      <title>{errorTitle("Settings – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      {loaded.saved && !result ? (
        <div className="notification" role="status">
          <p>The review queue&rsquo;s settings are saved. They apply to asks confirmed from now on.</p>
        </div>
      ) : null}
      <h1 className="heading-xl">Settings</h1>
      <h2 className="heading-l">The campaign</h2>
      <p>
        The campaign&rsquo;s name, summary and sender, the points, the wordings of the ask and the hourly cap:{" "}
        <Link to={paths.staffSettingsCampaign}>change the campaign settings</Link>, with a preview before you save.
        Every save, here or there, is kept: <Link to={paths.staffSettingsVersions}>see the saved versions</Link>.
      </p>
      <h2 className="heading-l">Privacy</h2>
      <p>
        Who the data controller and Data Protection Officer are, and how long supporters&rsquo; data is kept, for the
        public privacy notice and the clean-up that follows it:{" "}
        <Link to={paths.staffSettingsPrivacy}>change the privacy settings</Link>.
      </p>
      <p>
        What supporters agree to on the ask form, each change kept as a new version:{" "}
        <Link to={paths.staffSettingsConsents}>change the consent wordings</Link>.
      </p>
      <h2 className="heading-l">When an ask is held for review</h2>
      <p>
        A confirmed ask that meets any of these is held in the review queue instead of sent, until an organiser releases
        or rejects it. Asks made from this server itself (127.0.0.1) are never held for their number.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={loaded.csrfToken} />
        <TextField
          id="maxAsksPerAddressPerHour"
          label="Most asks from one client address in an hour"
          hint="More than this, and the next are held. A household or an office shares one address."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.maxAsksPerAddressPerHour}
          error={errors.maxAsksPerAddressPerHour}
        />
        <TextField
          id="maxAsksPerNetworkPerHour"
          label="Most asks from one network in an hour"
          hint="A network is the addresses that share the first three parts of an IPv4 address (a /24), or an IPv6 /48."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.maxAsksPerNetworkPerHour}
          error={errors.maxAsksPerNetworkPerHour}
        />
        <TextField
          id="maxAsksWithSameMessage"
          label="Most asks with the same personal message"
          hint="Counted over the whole campaign; only messages of 60 characters or more are compared."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.maxAsksWithSameMessage}
          error={errors.maxAsksWithSameMessage}
        />
        <ChoiceGroup
          id="holds"
          name="holds"
          type="checkbox"
          legend="Also hold asks"
          checked={values.holds}
          options={[
            { value: "holdLinks", label: "with a link in the personal message" },
            { value: "holdDisposableDomains", label: "from a disposable email address (such as mailinator.com)" },
          ]}
        />
        <button type="submit" className="button">
          Save settings
        </button>
      </Form>
    </>
  );
}
