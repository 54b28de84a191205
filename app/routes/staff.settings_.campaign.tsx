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
import { ChoiceGroup, TextArea, TextField } from "~/components/field";
import {
  currentCampaignSettings,
  findAnsweredPointChanges,
  previewCampaign,
  saveCampaign,
  type CampaignSettings,
} from "~/models/campaign.server";
import { campaignSchema } from "~/utils/campaign-settings";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

// What the page edits, as the form names its fields. The campaign's slug and
// election, and how many points and wordings there are, stay as
// `npm run campaign` set them: adding or removing a point changes what every
// answer is counted against, so it is done with the file, deliberately.
type Values = Record<string, string>;

function valuesOf(settings: CampaignSettings): Values {
  const values: Values = {
    name: settings.name,
    summary: settings.summary,
    fromEmail: settings.fromEmail,
    askHourlyCap: String(settings.askHourlyCap),
    messagePrompts: settings.messagePrompts.join("\n"),
  };
  settings.points.forEach((point, i) => {
    values[`points.${i}.title`] = point.title;
    values[`points.${i}.body`] = point.body;
  });
  settings.wordingVariants.forEach((wording, i) => {
    values[`wordingVariants.${i}.label`] = wording.label;
    values[`wordingVariants.${i}.opening`] = wording.opening;
    values[`wordingVariants.${i}.closing`] = wording.closing;
  });
  return values;
}

function readValues(form: FormData, current: CampaignSettings): Values {
  const values: Values = {};
  for (const name of Object.keys(valuesOf(current))) values[name] = String(form.get(name) ?? "");
  return values;
}

// The submitted values over the saved settings, for campaignSchema to check.
function settingsFrom(values: Values, current: CampaignSettings) {
  const cap = values.askHourlyCap?.trim() ?? "";
  return {
    ...current,
    name: values.name,
    summary: values.summary,
    fromEmail: values.fromEmail?.trim(),
    // A blank cap is an error, not the schema's default of 20.
    askHourlyCap: cap === "" ? Number.NaN : Number(cap),
    points: current.points.map((_, i) => ({ title: values[`points.${i}.title`], body: values[`points.${i}.body`] })),
    wordingVariants: current.wordingVariants.map((wording, i) => ({
      id: wording.id,
      label: values[`wordingVariants.${i}.label`],
      opening: values[`wordingVariants.${i}.opening`],
      closing: values[`wordingVariants.${i}.closing`],
    })),
    // One prompt a line; blank lines are no prompt.
    messagePrompts: (values.messagePrompts ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

function requireSettings() {
  const current = currentCampaignSettings();
  if (!current) throw new Response("No campaign is set up yet: load one with npm run campaign", { status: 404 });
  return current;
}

function shapeOf(settings: CampaignSettings) {
  return {
    points: settings.points.length,
    wordings: settings.wordingVariants.map((w) => w.id),
  };
}

export function loader({ request }: LoaderFunctionArgs) {
  const session = requireStaff(request, { role: "admin" });
  const current = requireSettings();
  return data(
    {
      csrfToken: session.csrfToken,
      saved: new URL(request.url).searchParams.get("saved"),
      values: valuesOf(current),
      shape: shapeOf(current),
    },
    { headers: staffPageHeaders },
  );
}

type Answered = ReturnType<typeof findAnsweredPointChanges>;
type Preview = ReturnType<typeof previewCampaign>;

function result(
  body: { errors: FieldErrors; values: Values; answered: Answered; preview: Preview | null },
  status = 200,
) {
  return data(body, { status, headers: staffPageHeaders });
}

function candidates(n: number) {
  return `${n} candidate${n === 1 ? "" : "s"}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const session = requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const current = requireSettings();
  const values = readValues(form, current);
  const parsed = campaignSchema.safeParse(settingsFrom(values, current));
  if (!parsed.success) {
    return result(
      {
        errors: fieldErrorsOf(parsed.error, { byPath: true }),
        values,
        answered: { points: [], candidates: 0 },
        preview: null,
      },
      400,
    );
  }
  const settings: CampaignSettings = parsed.data;
  const preview = previewCampaign({ settings });
  const confirmed = form.get("confirmPointChanges") === "yes";
  if (form.get("intent") !== "save") {
    return result({ errors: {}, values, answered: findAnsweredPointChanges({ points: settings.points }), preview });
  }
  const saved = saveCampaign({
    settings,
    savedBy: session.account.email,
    confirmPointChanges: confirmed,
    now: new Date(),
  });
  if (saved.outcome === "needs-confirmation") {
    return result(
      {
        errors: {
          confirmPointChanges: `Confirm that you understand ${candidates(saved.candidates)} answered the earlier words`,
        },
        values,
        answered: { points: saved.points, candidates: saved.candidates },
        preview,
      },
      400,
    );
  }
  throw redirect(withQuery(paths.staffSettingsCampaign, { saved: saved.outcome === "saved" ? "yes" : "unchanged" }), {
    headers: staffPageHeaders,
  });
}

export default function CampaignSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const values = posted?.values ?? loaded.values;
  const answered = posted?.answered ?? { points: [], candidates: 0 };
  const preview = posted?.preview ?? null;
  const { shape } = loaded;
  return (
    <>
      <title>{errorTitle(`${preview ? "Preview: " : ""}Campaign settings – Staff console`, errors)}</title>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.staffSettings}>Settings</Link>
          </li>
        </ol>
      </nav>
      <ErrorSummary errors={errors} />
      {loaded.saved && !posted ? (
        <div className="notification" role="status">
          <p>
            {loaded.saved === "yes"
              ? "The campaign settings are saved, and kept as a new version."
              : "Nothing had changed, so nothing was saved."}
          </p>
        </div>
      ) : null}
      <h1 className="heading-xl">Campaign settings</h1>
      {preview ? <CampaignPreview preview={preview} /> : null}
      <p>
        Check your changes with &ldquo;Preview&rdquo; before you save them. Every save is kept:{" "}
        <Link to={paths.staffSettingsVersions}>see the saved versions</Link>. To add or remove a point or a wording, use{" "}
        <code>npm run campaign</code> on the server.
      </p>
      {/* Keyed by what was posted, so the fields show the values the page was given back. */}
      <Form method="post" noValidate key={JSON.stringify(values)}>
        <input type="hidden" name={csrfField} value={loaded.csrfToken} />
        <h2 className="heading-l">The campaign</h2>
        <TextField
          id="name"
          label="Campaign name"
          hint="Shown on every page, and the name the campaign's emails come from."
          defaultValue={values.name}
          error={errors.name}
        />
        <TextArea
          id="summary"
          label="Summary"
          hint="Shown under the name on the home page."
          rows={3}
          defaultValue={values.summary}
          error={errors.summary}
        />
        <TextField
          id="fromEmail"
          label="Sender's email address"
          hint="Emails to candidates and supporters come from this address; replies from candidates go to the supporter."
          type="email"
          spellCheck={false}
          autoComplete="off"
          defaultValue={values.fromEmail}
          error={errors.fromEmail}
        />
        <TextField
          id="askHourlyCap"
          label="Most asks sent to one candidate in an hour"
          hint="More wait in the queue and go in later hours."
          inputMode="numeric"
          className="input--width-10"
          defaultValue={values.askHourlyCap}
          error={errors.askHourlyCap}
        />
        <h2 className="heading-l">The points</h2>
        {answered.candidates > 0 ? (
          <div className="inset-text">
            <p>
              {candidates(answered.candidates)} answered the earlier words of{" "}
              {answered.points.length === 1 ? "a point" : "points"} you are changing (
              {answered.points.map((p) => `point ${p.position}`).join(", ")}). Their answers stay shown against the
              words they answered, with a note that the campaign changed them afterwards.
            </p>
          </div>
        ) : null}
        {Array.from({ length: shape.points }, (_, i) => (
          <fieldset className="fieldset" key={i}>
            <legend className="fieldset__legend heading-m">Point {i + 1}</legend>
            <TextField
              id={`points.${i}.title`}
              label="Title"
              defaultValue={values[`points.${i}.title`]}
              error={errors[`points.${i}.title`]}
            />
            <TextArea
              id={`points.${i}.body`}
              label="What it means"
              rows={3}
              defaultValue={values[`points.${i}.body`]}
              error={errors[`points.${i}.body`]}
            />
          </fieldset>
        ))}
        <h2 className="heading-l">Wordings of the ask</h2>
        <p>Each ask mail opens and closes with one of these, so candidates do not all get the same letter.</p>
        {shape.wordings.map((id, i) => (
          <fieldset className="fieldset" key={id}>
            <legend className="fieldset__legend heading-m">Wording {i + 1}</legend>
            <TextField
              id={`wordingVariants.${i}.label`}
              label="Label"
              hint="What supporters choose it by."
              defaultValue={values[`wordingVariants.${i}.label`]}
              error={errors[`wordingVariants.${i}.label`]}
            />
            <TextArea
              id={`wordingVariants.${i}.opening`}
              label="Opening"
              rows={3}
              defaultValue={values[`wordingVariants.${i}.opening`]}
              error={errors[`wordingVariants.${i}.opening`]}
            />
            <TextArea
              id={`wordingVariants.${i}.closing`}
              label="Closing"
              rows={3}
              defaultValue={values[`wordingVariants.${i}.closing`]}
              error={errors[`wordingVariants.${i}.closing`]}
            />
          </fieldset>
        ))}
        <TextArea
          id="messagePrompts"
          label="Prompts for the personal message"
          hint="One a line. The ask form suggests these to supporters writing their own paragraph."
          rows={4}
          defaultValue={values.messagePrompts}
          error={errors.messagePrompts}
        />
        {answered.candidates > 0 ? (
          <ChoiceGroup
            id="confirmPointChanges"
            name="confirmPointChanges"
            type="checkbox"
            legend="Changing the words of answered points"
            error={errors.confirmPointChanges}
            checked={[]}
            options={[
              {
                value: "yes",
                label: `I understand ${candidates(answered.candidates)} answered the earlier words`,
              },
            ]}
          />
        ) : null}
        <div className="button-group">
          <button
            type="submit"
            name="intent"
            value="preview"
            className={`button${preview ? " button--secondary" : ""}`}
          >
            Preview
          </button>
          {preview ? (
            <button type="submit" name="intent" value="save" className="button">
              Save settings
            </button>
          ) : null}
        </div>
      </Form>
    </>
  );
}

function CampaignPreview({ preview }: { preview: Preview }) {
  return (
    <section aria-labelledby="preview-title">
      <h2 className="heading-l" id="preview-title">
        Preview: nothing is saved yet
      </h2>
      <p>This is how the home page and the ask mail will read. Change anything below, or save it.</p>
      <h3 className="heading-m">The home page</h3>
      <div className="preview-box">
        <p className="heading-xl">{preview.home.name}</p>
        <p className="body-l">{preview.home.summary}</p>
        <p>We are asking every candidate standing at the {preview.home.electionName} to pledge to:</p>
        <ol className="pledge-points">
          {preview.home.points.map((point, i) => (
            <li key={i}>
              <h4 className="heading-m">{point.title}</h4>
              <p>{point.body}</p>
            </li>
          ))}
        </ol>
      </div>
      <h3 className="heading-m">The ask mail</h3>
      {preview.mails.map((mail, i) => (
        <details className="details" key={i} open={i === 0}>
          <summary>In the wording &ldquo;{mail.label}&rdquo;</summary>
          <dl className="summary-list">
            <div>
              <dt>From</dt>
              <dd>{mail.from}</dd>
            </div>
            <div>
              <dt>Subject</dt>
              <dd>{mail.subject}</dd>
            </div>
          </dl>
          <pre className="mail-preview">{mail.textBody}</pre>
        </details>
      ))}
    </section>
  );
}
