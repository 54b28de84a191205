import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { TextArea, TextField } from "~/components/field";
import { requireCampaign } from "~/models/campaign.server";
import { privacyContactsOf, retentionOf, savePrivacySettings } from "~/models/privacy.server";
import { fieldErrorsOf } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { privacyContactsSchema } from "~/utils/privacy-contacts";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { minClientDataHours, retentionSchema } from "~/utils/retention";
import { csrfField } from "~/utils/staff-form";
import { SettingsPageTop } from "~/components/settings-page-top";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const fieldNames = [
  "controllerName",
  "controllerAddress",
  "controllerEmail",
  "dpoName",
  "dpoEmail",
  "askDaysAfterPollingDay",
  "clientDataHours",
  "mailboxDays",
] as const;

type Values = Record<(typeof fieldNames)[number], string>;

// The form's fields in the order the page shows them, so the error summary
// lists them in that order too.
const privacyForm = z.object({ ...privacyContactsSchema.shape, ...retentionSchema.shape });

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const campaign = await requireCampaign();
  const contacts = privacyContactsOf(campaign);
  const retention = retentionOf(campaign);
  const values: Values = {
    ...contacts,
    askDaysAfterPollingDay: String(retention.askDaysAfterPollingDay),
    clientDataHours: String(retention.clientDataHours),
    mailboxDays: String(retention.mailboxDays),
  };
  return data(
    { csrfToken: session.csrfToken, saved: new URL(request.url).searchParams.get("saved"), values },
    { headers: staffPageHeaders },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const values = Object.fromEntries(fieldNames.map((name) => [name, String(form.get(name) ?? "")])) as Values;
  // A blank number is an error, not zero.
  const numbers = (name: "askDaysAfterPollingDay" | "clientDataHours" | "mailboxDays") =>
    values[name].trim() === "" ? Number.NaN : values[name].trim();
  const parsed = privacyForm.safeParse({
    ...values,
    askDaysAfterPollingDay: numbers("askDaysAfterPollingDay"),
    clientDataHours: numbers("clientDataHours"),
    mailboxDays: numbers("mailboxDays"),
  });
  if (!parsed.success)
    return data({ errors: fieldErrorsOf(parsed.error), values }, { status: 400, headers: staffPageHeaders });
  const { askDaysAfterPollingDay, clientDataHours, mailboxDays, ...contacts } = parsed.data;
  const saved = await savePrivacySettings({
    contacts,
    retention: { askDaysAfterPollingDay, clientDataHours, mailboxDays },
    actor: session.account.email,
    now: new Date(),
  });
  throw redirect(withQuery(paths.staffSettingsPrivacy, { saved: saved.outcome === "saved" ? "yes" : "unchanged" }), {
    headers: staffPageHeaders,
  });
}

export default function PrivacySettings() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const values = posted?.values ?? loaded.values;
  return (
    <>
      <SettingsPageTop
        title="Privacy settings"
        errors={errors}
        saved={posted ? null : loaded.saved}
        savedMessage="The privacy settings are saved, and kept as a new version. The privacy notice shows them now."
      />
      <h1 className="heading-xl">Privacy settings</h1>
      <p>
        The <Link to={paths.privacy}>privacy notice</Link> is written from these settings, and the retention periods are
        what the server keeps to: change them here and the notice and the clean-up change together.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={loaded.csrfToken} />
        <h2 className="heading-l">Who is responsible for the data</h2>
        <TextField
          id="controllerName"
          label="Data controller's name"
          hint="The organisation that decides what is done with supporters' data, usually the charity running the campaign."
          defaultValue={values.controllerName}
          error={errors.controllerName}
          autoComplete="organization"
        />
        <TextArea
          id="controllerAddress"
          label="Data controller's postal address"
          hint="One line of the address on each line, without the name: the notice puts the name above it."
          rows={4}
          defaultValue={values.controllerAddress}
          error={errors.controllerAddress}
        />
        <TextField
          id="controllerEmail"
          label="Data controller's email address"
          hint="Where people write about their data. The notice shows it."
          type="email"
          spellCheck={false}
          defaultValue={values.controllerEmail}
          error={errors.controllerEmail}
        />
        <TextField
          id="dpoName"
          label="Data Protection Officer's name (optional)"
          defaultValue={values.dpoName}
          error={errors.dpoName}
        />
        <TextField
          id="dpoEmail"
          label="Data Protection Officer's email address (optional)"
          hint="Leave both blank if the controller has no DPO: the notice then names only the controller."
          type="email"
          spellCheck={false}
          defaultValue={values.dpoEmail}
          error={errors.dpoEmail}
        />
        <h2 className="heading-l">How long data is kept</h2>
        <TextField
          id="askDaysAfterPollingDay"
          label="Days after polling day to keep supporters' asks"
          hint="Then each supporter's name, email, postcode and message are erased, unless they asked for campaign updates."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.askDaysAfterPollingDay}
          error={errors.askDaysAfterPollingDay}
        />
        <TextField
          id="clientDataHours"
          label="Hours to keep client-address data"
          hint={`The hashed client addresses on asks and the rate-limit counters. At least ${minClientDataHours}: the longest rate limit counts over a day.`}
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.clientDataHours}
          error={errors.clientDataHours}
        />
        <TextField
          id="mailboxDays"
          label="Days to keep the local mailbox"
          hint="Copies of mail kept on this server when no mail server is set up."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.mailboxDays}
          error={errors.mailboxDays}
        />
        <button type="submit" className="button">
          Save privacy settings
        </button>
      </Form>
    </>
  );
}
