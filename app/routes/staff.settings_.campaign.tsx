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
import { ChoiceGroup, TextArea, TextField } from "~/components/field";
import {
  currentCampaignSettings,
  findCampaign,
  planPointChanges,
  previewCampaign,
  saveCampaign,
  UnknownPoint,
  type CampaignSettings,
  type PointPlan,
} from "~/models/campaign.server";
import { consoleCampaignSchema, describeStatusChange, MAX_POINTS } from "~/utils/campaign-settings";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";
import { SettingsPageTop } from "~/components/settings-page-top";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

// What the page edits, as the form names its fields: `points.0.title`,
// `wordingVariants.1.opening`… Each point carries its id in a hidden field
// (blank for one being added), so a point is matched by identity: removing
// point 2 of 4 retires it rather than rewording points 2 and 3. A wording
// added here has an id field of its own; a saved wording's id is fixed,
// since asks record the wording they were sent in by it. The campaign's slug
// and election stay as `npm run campaign` set them.
type Values = Record<string, string>;

const pointFields = ["id", "title", "body"] as const;
const wordingFields = ["id", "isNew", "label", "opening", "closing"] as const;

function valuesOf(settings: CampaignSettings, pointIds: number[]): Values {
  const values: Values = {
    name: settings.name,
    summary: settings.summary,
    fromEmail: settings.fromEmail,
    askHourlyCap: String(settings.askHourlyCap),
    messagePrompts: settings.messagePrompts.join("\n"),
  };
  settings.points.forEach((point, i) => {
    values[`points.${i}.id`] = String(pointIds[i] ?? "");
    values[`points.${i}.title`] = point.title;
    values[`points.${i}.body`] = point.body;
  });
  settings.wordingVariants.forEach((wording, i) => {
    values[`wordingVariants.${i}.id`] = wording.id;
    values[`wordingVariants.${i}.isNew`] = "";
    values[`wordingVariants.${i}.label`] = wording.label;
    values[`wordingVariants.${i}.opening`] = wording.opening;
    values[`wordingVariants.${i}.closing`] = wording.closing;
  });
  return values;
}

// How many rows of a list the values hold: rows are numbered from 0 without gaps.
function countOf(values: Values, list: "points" | "wordingVariants") {
  let n = 0;
  while (`${list}.${n}.title` in values || `${list}.${n}.label` in values) n++;
  return n;
}

function rowsOf(values: Values, list: "points" | "wordingVariants", fields: readonly string[]) {
  return Array.from({ length: countOf(values, list) }, (_, i) =>
    Object.fromEntries(fields.map((field) => [field, values[`${list}.${i}.${field}`] ?? ""])),
  );
}

function withRows(values: Values, list: "points" | "wordingVariants", rows: Record<string, string>[]): Values {
  const rest = Object.fromEntries(Object.entries(values).filter(([name]) => !name.startsWith(`${list}.`)));
  rows.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) rest[`${list}.${i}.${field}`] = value;
  });
  return rest;
}

function readValues(form: FormData): Values {
  const text = (name: string) => String(form.get(name) ?? "");
  const values: Values = {};
  for (const name of ["name", "summary", "fromEmail", "askHourlyCap", "messagePrompts"]) values[name] = text(name);
  // Rows are read while they are there, never more than a campaign may hold.
  for (let i = 0; i < MAX_POINTS && form.has(`points.${i}.title`); i++) {
    for (const field of pointFields) values[`points.${i}.${field}`] = text(`points.${i}.${field}`);
  }
  for (let i = 0; i < MAX_WORDINGS && form.has(`wordingVariants.${i}.label`); i++) {
    for (const field of wordingFields) values[`wordingVariants.${i}.${field}`] = text(`wordingVariants.${i}.${field}`);
  }
  return values;
}

// A form with more wordings than this was not made by this page.
const MAX_WORDINGS = 20;

// The "add another" buttons: each re-renders the form with what was typed,
// one row more, one fewer, or one moved up. Nothing is saved.
function editedValues(values: Values, intent: string): Values | null {
  const points = rowsOf(values, "points", pointFields);
  const wordings = rowsOf(values, "wordingVariants", wordingFields);
  const [verb, index] = intent.split(":");
  const i = Number(index);
  if (verb === "add-point" && points.length < MAX_POINTS)
    return withRows(values, "points", [...points, { id: "", title: "", body: "" }]);
  if (verb === "remove-point" && points.length > 1 && points[i])
    return withRows(
      values,
      "points",
      points.filter((_, n) => n !== i),
    );
  if (verb === "move-point-up" && i > 0 && points[i])
    return withRows(values, "points", [...points.slice(0, i - 1), points[i], points[i - 1]!, ...points.slice(i + 1)]);
  if (verb === "add-wording" && wordings.length < MAX_WORDINGS)
    return withRows(values, "wordingVariants", [
      ...wordings,
      { id: "", isNew: "yes", label: "", opening: "", closing: "" },
    ]);
  if (verb === "remove-wording" && wordings.length > 1 && wordings[i])
    return withRows(
      values,
      "wordingVariants",
      wordings.filter((_, n) => n !== i),
    );
  return null;
}

// The submitted values over the saved settings, for the console's schema to check.
function settingsFrom(values: Values, current: CampaignSettings) {
  const cap = values.askHourlyCap?.trim() ?? "";
  return {
    ...current,
    name: values.name,
    summary: values.summary,
    fromEmail: values.fromEmail?.trim(),
    // A blank cap is an error, not the schema's default of 20.
    askHourlyCap: cap === "" ? Number.NaN : Number(cap),
    points: rowsOf(values, "points", pointFields).map((point) => ({
      ...(point.id ? { id: Number(point.id) } : {}),
      title: point.title,
      body: point.body,
    })),
    wordingVariants: rowsOf(values, "wordingVariants", wordingFields).map((wording) => ({
      id: wording.id?.trim(),
      label: wording.label,
      opening: wording.opening,
      closing: wording.closing,
    })),
    // One prompt a line; blank lines are no prompt.
    messagePrompts: (values.messagePrompts ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

async function requireSettings() {
  const current = await currentCampaignSettings();
  if (!current) throw new Response("No campaign is set up yet: load one with npm run campaign", { status: 404 });
  return current;
}

async function savedPointIds() {
  return ((await findCampaign())?.points ?? []).map((p) => p.id);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const current = await requireSettings();
  return data(
    {
      csrfToken: session.csrfToken,
      saved: new URL(request.url).searchParams.get("saved"),
      values: valuesOf(current, await savedPointIds()),
    },
    { headers: staffPageHeaders },
  );
}

type Plan = Pick<PointPlan, "answered" | "added" | "removed" | "statusChanges" | "setChangedAfterAnswers">;
type Preview = ReturnType<typeof previewCampaign>;

function result(
  body: { errors: FieldErrors; values: Values; plan: Plan | null; preview: Preview | null },
  status = 200,
) {
  return data(body, { status, headers: staffPageHeaders });
}

function candidates(n: number) {
  return `${n} candidate${n === 1 ? "" : "s"}`;
}

const staleMessage = "The points have changed since you opened this page: open it again to see them";

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const current = await requireSettings();
  const values = readValues(form);
  const intent = String(form.get("intent") ?? "preview");
  const edited = editedValues(values, intent);
  if (edited) return result({ errors: {}, values: edited, plan: null, preview: null });
  const parsed = consoleCampaignSchema.safeParse(settingsFrom(values, current));
  if (!parsed.success) {
    return result({ errors: fieldErrorsOf(parsed.error, { byPath: true }), values, plan: null, preview: null }, 400);
  }
  const settings: CampaignSettings = parsed.data;
  const preview = previewCampaign({ settings });
  try {
    if (intent !== "save") {
      return result({
        errors: {},
        values,
        plan: await planPointChanges({ points: settings.points, matchPoints: "by-id" }),
        preview,
      });
    }
    const saved = await saveCampaign({
      settings,
      matchPoints: "by-id",
      savedBy: session.account.email,
      confirmPointChanges: form.get("confirmPointChanges") === "yes",
      now: new Date(),
    });
    if (saved.outcome === "needs-confirmation") {
      const { outcome: _, ...plan } = saved;
      return result(
        {
          errors: {
            confirmPointChanges:
              plan.answered.points.length > 0
                ? `Confirm that you understand ${candidates(plan.answered.candidates)} answered the earlier words`
                : "Confirm that you understand who has signed every point changes",
          },
          values,
          plan,
          preview,
        },
        400,
      );
    }
    throw redirect(withQuery(paths.staffSettingsCampaign, { saved: saved.outcome === "saved" ? "yes" : "unchanged" }), {
      headers: staffPageHeaders,
    });
  } catch (error) {
    if (!(error instanceof UnknownPoint)) throw error;
    return result({ errors: { points: staleMessage }, values, plan: null, preview: null }, 409);
  }
}

export default function CampaignSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const values = posted?.values ?? loaded.values;
  const plan = posted?.plan ?? null;
  const preview = posted?.preview ?? null;
  const pointCount = countOf(values, "points");
  const wordingCount = countOf(values, "wordingVariants");
  const confirming = plan ? plan.answered.points.length > 0 || plan.setChangedAfterAnswers : false;
  return (
    <>
      <SettingsPageTop
        title={`${preview ? "Preview: " : ""}Campaign settings`}
        errors={errors}
        saved={posted ? null : loaded.saved}
        savedMessage="The campaign settings are saved, and kept as a new version."
      />
      <h1 className="heading-xl">Campaign settings</h1>
      {preview ? <CampaignPreview preview={preview} /> : null}
      <p>
        Check your changes with &ldquo;Preview&rdquo; before you save them. Every save is kept:{" "}
        <Link to={paths.staffSettingsVersions}>see the saved versions</Link>.
      </p>
      {/* Keyed by what was posted, so the fields show the values the page was given back. */}
      <Form method="post" noValidate key={JSON.stringify(values)}>
        {/* Pressing Enter in a field previews, rather than pressing the first Remove button. */}
        <button type="submit" name="intent" value="preview" hidden tabIndex={-1}>
          Preview
        </button>
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
        <h2 className="heading-l" id="points" tabIndex={-1}>
          The points
        </h2>
        <p className="hint">
          From 1 to {MAX_POINTS} points. A point you remove is kept with the answers candidates gave it, but no longer
          counts towards anyone&rsquo;s pledge.
        </p>
        {errors.points ? (
          <p className="error-message">
            <span className="visually-hidden">Error:</span> {errors.points}
          </p>
        ) : null}
        {plan ? <PointChanges plan={plan} /> : null}
        {Array.from({ length: pointCount }, (_, i) => (
          <fieldset className="fieldset" key={i}>
            <legend className="fieldset__legend heading-m">Point {i + 1}</legend>
            <input type="hidden" name={`points.${i}.id`} value={values[`points.${i}.id`] ?? ""} />
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
            <div className="button-group">
              {i > 0 ? <EditButton intent={`move-point-up:${i}`} label="Move up" what={`point ${i + 1}`} /> : null}
              {pointCount > 1 ? (
                <EditButton intent={`remove-point:${i}`} label="Remove" what={`point ${i + 1}`} />
              ) : null}
            </div>
          </fieldset>
        ))}
        {pointCount < MAX_POINTS ? (
          <p>
            <button type="submit" name="intent" value="add-point" className="button button--secondary">
              Add another point
            </button>
          </p>
        ) : null}
        <h2 className="heading-l">Wordings of the ask</h2>
        <p>Each ask mail opens and closes with one of these, so candidates do not all get the same letter.</p>
        {Array.from({ length: wordingCount }, (_, i) => {
          const isNew = values[`wordingVariants.${i}.isNew`] === "yes";
          return (
            <fieldset className="fieldset" key={i}>
              <legend className="fieldset__legend heading-m">Wording {i + 1}</legend>
              <input type="hidden" name={`wordingVariants.${i}.isNew`} value={isNew ? "yes" : ""} />
              {isNew ? (
                <TextField
                  id={`wordingVariants.${i}.id`}
                  label="Id"
                  hint="Lower-case letters, digits and hyphens, like warm-welcome. Asks record their wording by it, so it cannot change once saved."
                  spellCheck={false}
                  autoComplete="off"
                  defaultValue={values[`wordingVariants.${i}.id`]}
                  error={errors[`wordingVariants.${i}.id`]}
                />
              ) : (
                <>
                  <input
                    type="hidden"
                    name={`wordingVariants.${i}.id`}
                    value={values[`wordingVariants.${i}.id`] ?? ""}
                  />
                  <p className="hint">
                    Id: <code>{values[`wordingVariants.${i}.id`]}</code>
                  </p>
                </>
              )}
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
              {wordingCount > 1 ? (
                <div className="button-group">
                  <EditButton intent={`remove-wording:${i}`} label="Remove" what={`wording ${i + 1}`} />
                </div>
              ) : null}
            </fieldset>
          );
        })}
        <p>
          <button type="submit" name="intent" value="add-wording" className="button button--secondary">
            Add another wording
          </button>
        </p>
        <TextArea
          id="messagePrompts"
          label="Prompts for the personal message"
          hint="One a line: add a line for a new prompt, delete a line to remove one. The ask form suggests these to supporters writing their own paragraph."
          rows={4}
          defaultValue={values.messagePrompts}
          error={errors.messagePrompts}
        />
        {confirming ? (
          <ChoiceGroup
            id="confirmPointChanges"
            name="confirmPointChanges"
            type="checkbox"
            legend="Changing points candidates have answered"
            error={errors.confirmPointChanges}
            checked={[]}
            options={[
              {
                value: "yes",
                label:
                  plan && plan.answered.points.length > 0
                    ? `I understand ${candidates(plan.answered.candidates)} answered the earlier words`
                    : "I understand who has signed every point changes",
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

// A submit button that edits the form (adds, removes or moves a row); its
// accessible name says which row, as several share the same visible words.
function EditButton({ intent, label, what }: { intent: string; label: string; what: string }) {
  return (
    <button type="submit" name="intent" value={intent} className="button button--secondary button--small">
      {label} <span className="visually-hidden">{what}</span>
    </button>
  );
}

// What saving would change for candidates who have answered: words they
// answered, or (adding or removing a point) who has signed every point.
function PointChanges({ plan }: { plan: Plan }) {
  const { answered, added, removed, statusChanges } = plan;
  const setChanges = [
    ...removed.map((p) => `removing point ${p.position} (“${p.title}”)`),
    ...(added > 0 ? [`adding ${added === 1 ? "a point" : `${added} points`}`] : []),
  ];
  return (
    <>
      {answered.candidates > 0 ? (
        <div className="inset-text">
          <p>
            {candidates(answered.candidates)} answered the earlier words of{" "}
            {answered.points.length === 1 ? "a point" : "points"} you are changing (
            {answered.points.map((p) => `point ${p.position}`).join(", ")}). Their answers stay shown against the words
            they answered, with a note that the campaign changed them afterwards.
          </p>
        </div>
      ) : null}
      {plan.setChangedAfterAnswers ? (
        <div className="inset-text">
          <p>
            Candidates have answered, so {setChanges.join(" and ")} changes who has signed every point.{" "}
            {statusChanges.length > 0
              ? `${statusChanges.map(describeStatusChange).join("; ")}.`
              : "No candidate's status changes."}
          </p>
        </div>
      ) : null}
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
