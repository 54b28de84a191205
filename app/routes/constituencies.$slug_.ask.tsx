import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextArea, TextField } from "~/components/field";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { listAskableCandidates, submitAsk } from "~/models/ask.server";
import { findCampaign } from "~/models/campaign.server";
import { currentConsentTexts, findShownConsentTexts } from "~/models/consent.server";
import { findConstituencyBySlug } from "~/models/constituency.server";
import { candidateAskMail } from "~/mail-wording/ask-mails";
import { commitWithOthers } from "~/utils/db.server";
import { checkFormStamp, issueFormStamp } from "~/utils/form-stamp.server";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { emailAddress, personName } from "~/utils/fields";
import { normalisePostcode } from "~/utils/postcode";
import { readPostcodeParam } from "~/utils/page-query";
import { noIndex } from "~/utils/private-page";
import { lookUpPostcode } from "~/models/postcode-lookup.server";
import { clientIpOf } from "~/utils/request.server";
import { rethrowAsTooManyRequests, retryAfterHeaders } from "~/utils/too-many-requests";
import { paths, withQuery } from "~/utils/paths";

const MESSAGE_MAX = 1_000;
// A field a person never sees or fills. Its name and autocomplete="off" keep
// browsers' autofill away from it (names like "website" or "url" attract it).
const TRAP_FIELD = "leave-this-blank";

// The key that signs when the form was first shown (form-stamp.server.ts).
async function formSecret() {
  return findOrCreateAppSecret({ name: "ask-form" });
}

// The title is rendered by the page itself: it must start "Error: " after a
// failed submission, and meta functions cannot see action data.
export const meta: MetaFunction = () => [noIndex];

export const headers: HeadersFunction = ({ errorHeaders }) => retryAfterHeaders(errorHeaders);

async function load(slug: string | undefined) {
  const constituency = await findConstituencyBySlug({ slug: slug ?? "" });
  const campaign = await findCampaign();
  if (!constituency || !campaign) throw new Response("Not found", { status: 404 });
  const standing = await listAskableCandidates({ constituencyCode: constituency.gssCode });
  // Candidates who have signed every point are thanked, not asked again.
  const candidates = standing.filter((c) => !c.signedEveryPoint);
  const signed = standing.filter((c) => c.signedEveryPoint);
  // The consent wordings as they are now: the form shows these and carries
  // their ids, so the ask records the versions the person actually read.
  const consents = await currentConsentTexts();
  return { constituency, campaign, candidates, signed, consents };
}

/** What the page needs of each consent: its wording and the id of that version. */
function shownConsents(consents: Awaited<ReturnType<typeof currentConsentTexts>>) {
  const shown = (purpose: keyof typeof consents) => ({
    id: String(consents[purpose].id),
    wording: consents[purpose].wording,
  });
  return { sendAsk: shown("send-ask"), publicList: shown("public-list"), updates: shown("updates") };
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { constituency, campaign, candidates, signed, consents } = await load(params.slug);
  const { postcode } = readPostcodeParam(new URL(request.url).searchParams);
  return {
    constituency,
    consents: shownConsents(consents),
    points: campaign.points,
    wordingVariants: campaign.wordingVariants,
    messagePrompts: campaign.messagePrompts,
    candidates,
    signed: signed.map((c) => ({ id: c.id, personId: c.personId, name: c.name })),
    values: {
      ...emptyValues,
      postcode: postcode ?? "",
      // Default: every standing candidate who has not signed.
      candidacyIds: candidates.map((c) => String(c.id)),
      wordingId: campaign.wordingVariants[0]?.id ?? "",
    },
    startedAt: issueFormStamp({ secret: await formSecret(), now: new Date() }),
  };
}

type Values = {
  name: string;
  email: string;
  postcode: string;
  candidacyIds: string[];
  wordingId: string;
  personalMessage: string;
  showOnPublicList: boolean;
  wantsUpdates: boolean;
  /** The versions of the two choices' wordings the form showed (consent_texts ids). */
  publicListTextId: string;
  updatesTextId: string;
};

const emptyValues: Values = {
  name: "",
  email: "",
  postcode: "",
  candidacyIds: [],
  wordingId: "",
  personalMessage: "",
  showOnPublicList: false,
  wantsUpdates: false,
  publicListTextId: "",
  updatesTextId: "",
};

function readValues(form: FormData): Values {
  const text = (key: string) => String(form.get(key) ?? "");
  return {
    name: text("name").trim(),
    email: text("email").trim(),
    postcode: text("postcode").trim(),
    candidacyIds: form.getAll("candidacyIds").map(String),
    wordingId: text("wordingId"),
    personalMessage: text("personalMessage").trim().replace(/\r\n?/g, "\n"),
    showOnPublicList: form.get("showOnPublicList") === "yes",
    wantsUpdates: form.get("wantsUpdates") === "yes",
    publicListTextId: text("publicListTextId"),
    updatesTextId: text("updatesTextId"),
  };
}

function askSchema({ candidateIds, wordingIds }: { candidateIds: number[]; wordingIds: string[] }) {
  return z.object({
    name: personName({ required: "Enter your name", subject: "Your name", max: 100 }),
    email: z
      .string()
      .min(1, "Enter your email address")
      .max(254, "Your email address must be 254 characters or fewer")
      .pipe(emailAddress("Enter an email address in the correct format, like name@example.com")),
    postcode: z
      .string()
      .min(1, "Enter your postcode")
      .transform((v, ctx) => {
        const normalised = normalisePostcode(v);
        if (!normalised) ctx.addIssue({ code: "custom", message: "Enter a full UK postcode, like SW1A 1AA" });
        return normalised ?? v;
      }),
    candidacyIds: z
      .array(z.coerce.number().int())
      .min(1, "Select at least one candidate to write to")
      .refine((ids) => ids.every((id) => candidateIds.includes(id)), "Select candidates from the list"),
    wordingId: z.string().refine((v) => wordingIds.includes(v), "Select how you would like to word your message"),
    personalMessage: z.string().max(MESSAGE_MAX, `Your message must be ${MESSAGE_MAX} characters or fewer`),
    showOnPublicList: z.boolean(),
    wantsUpdates: z.boolean(),
  });
}

// Building the schema, and zod compiling it on its first parse, cost more CPU
// than the rest of a submission's validation: keep one per set of candidates
// and wordings (one per constituency, in practice), dropped all at once if a
// long-running server ever collects more than a general election's worth.
const askSchemas = new Map<string, ReturnType<typeof askSchema>>();
const maxCachedAskSchemas = 2_000;

function cachedAskSchema(choices: { candidateIds: number[]; wordingIds: string[] }) {
  const key = JSON.stringify(choices);
  let schema = askSchemas.get(key);
  if (!schema) {
    if (askSchemas.size >= maxCachedAskSchemas) askSchemas.clear();
    schema = askSchema(choices);
    askSchemas.set(key, schema);
  }
  return schema;
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { constituency, campaign, candidates, consents } = await load(params.slug);
  const form = await request.formData();
  const values = readValues(form);
  const checkYourEmail = withQuery(paths.checkYourEmail, { constituency: constituency.slug });
  const now = new Date();

  // Every step hands back a stamp: the same one while it is good, so the clock
  // runs from the first page; a fresh one when it was missing, forged or old.
  const stamp = checkFormStamp({ stamp: String(form.get("startedAt") ?? ""), secret: await formSecret(), now });
  const started = stamp.stamp;
  const intent = String(form.get("intent") ?? "preview");
  if (intent === "edit") return { values, errors: null, preview: null, startedAt: started };

  const parsed = cachedAskSchema({
    candidateIds: candidates.map((c) => c.id),
    wordingIds: campaign.wordingVariants.map((w) => w.id),
  }).safeParse(values);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    return Response.json({ values, errors, preview: null, startedAt: started }, { status: 400 });
  }
  const ask = parsed.data;

  // A postcode we can place elsewhere is a mistake worth pointing out; one we
  // cannot look up (not in the directory, or the lookup is down) is accepted,
  // since anyone may choose their constituency by name.
  const lookup = await lookUpPostcode(ask.postcode);
  if (lookup.status === "found" && lookup.constituency.gssCode !== constituency.gssCode) {
    const errors: FieldErrors = {
      postcode: `${ask.postcode} is in ${lookup.constituency.name}, not ${constituency.name}. Check your postcode, or write to the candidates in ${lookup.constituency.name} instead`,
    };
    return Response.json(
      {
        values,
        errors,
        preview: null,
        startedAt: started,
        elsewhere: { name: lookup.constituency.name, slug: lookup.constituency.slug },
      },
      { status: 400 },
    );
  }
  const cleanValues = { ...values, postcode: ask.postcode };

  // Only the final send is ever held back, and then truthfully: the preview
  // again, asking them to press Send, which a person does and a naive bot
  // does not. The trap field is not carried into the preview's form, so a
  // person whose browser filled it gets through on the second press.
  const heldBack = intent === "send" && (String(form.get(TRAP_FIELD) ?? "") !== "" || stamp.verdict !== "ok");

  // Which wordings the person read: the two choices' from the form, the
  // send wording from the preview. Any real version is recorded as shown (one
  // changed meanwhile was still what they read); a page without them (or
  // with made-up ones) is shown again, with the wordings as they are now.
  const shown = await findShownConsentTexts({
    "public-list": Number(values.publicListTextId),
    updates: Number(values.updatesTextId),
    "send-ask": intent === "send" ? Number(form.get("sendAskTextId")) : consents["send-ask"].id,
  });
  if (!shown) {
    const errors: FieldErrors = {
      showOnPublicList: "This page was out of date. Check your choices below, then continue",
    };
    return Response.json({ values, errors, preview: null, startedAt: started }, { status: 400 });
  }

  if (intent !== "send" || heldBack) {
    const wording = campaign.wordingVariants.find((w) => w.id === ask.wordingId);
    const first = candidates.find((c) => c.id === ask.candidacyIds[0]);
    const preview = wording
      ? candidateAskMail({
          campaign,
          wording,
          candidateName: first?.name ?? "",
          constituencyName: constituency.name,
          supporterName: ask.name,
          postcode: ask.postcode,
          personalMessage: ask.personalMessage || null,
          pledgeUrl: "(a link for the candidate to sign the pledge)",
          publicUrl: "",
        })
      : null;
    return { values: cleanValues, errors: null, preview, startedAt: started, notSent: heldBack };
  }

  try {
    // One commit (and one fsync) for the asks that arrive together: see commitWithOthers.
    await commitWithOthers(async () =>
      submitAsk({
        ask: {
          constituencyCode: constituency.gssCode,
          name: ask.name,
          email: ask.email,
          postcode: ask.postcode,
          personalMessage: ask.personalMessage || null,
          wordingId: ask.wordingId,
          showOnPublicList: ask.showOnPublicList,
          wantsUpdates: ask.wantsUpdates,
          candidacyIds: ask.candidacyIds,
          consentTextIds: shown,
        },
        clientIp: clientIpOf(context),
        now,
      }),
    );
  } catch (error) {
    rethrowAsTooManyRequests(error);
  }
  throw redirect(checkYourEmail);
}

export default function AskPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result && "values" in result ? result.values : data.values;
  const errors = (result && "errors" in result ? result.errors : null) ?? {};
  const preview = result && "preview" in result ? result.preview : null;
  const startedAt = result && "startedAt" in result ? result.startedAt : data.startedAt;
  const title = errorTitle(`Ask your candidates in ${data.constituency.name}`, errors);
  const { constituency, candidates } = data;

  if (preview) {
    const chosen = candidates.filter((c) => values.candidacyIds.includes(String(c.id)));
    const notSent = result && "notSent" in result ? result.notSent : false;
    return (
      <>
        <title>{`${notSent ? "Not sent yet: " : ""}Check your message – ${constituency.name}`}</title>
        {notSent ? (
          <div className="notification" role="alert" aria-labelledby="not-sent-title">
            <h2 className="heading-m" id="not-sent-title">
              Your message has not been sent yet
            </h2>
            <p>Check it below, then press Send again.</p>
          </div>
        ) : null}
        <span className="caption-l">{constituency.name}</span>
        <h1 className="heading-xl">Check your message before sending</h1>
        <p>
          This is the email {chosen.length === 1 ? "your candidate" : `each of your ${chosen.length} candidates`} will
          get, from us, with replies going to you at <strong>{values.email}</strong>.
        </p>
        <h2 className="heading-m">Sent to</h2>
        <ul className="list">
          {chosen.map((c) => (
            <li key={c.id}>
              {c.name}
              {c.hasEmail ? null : (
                <span className="hint">
                  {" "}
                  (no published email: we will count your ask and tell you how else to reach them)
                </span>
              )}
            </li>
          ))}
        </ul>
        <h2 className="heading-m">The message</h2>
        <pre className="mail-preview">{preview.textBody}</pre>
        <Form method="post" noValidate>
          <HiddenValues values={values} startedAt={startedAt} />
          <input type="hidden" name="sendAskTextId" value={data.consents.sendAsk.id} />
          <Honeypot />
          <h2 className="heading-m">What pressing Send agrees to</h2>
          <p>{data.consents.sendAsk.wording}</p>
          <p>
            After you press send we will email you a link. Nothing goes to the candidates until you open it and confirm.
          </p>
          <div className="button-group">
            <button className="button" type="submit" name="intent" value="send">
              Send
            </button>
            <button className="button button--secondary" type="submit" name="intent" value="edit">
              Change my message
            </button>
          </div>
        </Form>
      </>
    );
  }

  return (
    <>
      <title>{title}</title>
      <ErrorSummary errors={errors} />
      <span className="caption-l">{constituency.name}</span>
      <h1 className="heading-xl">Ask your candidates to sign the pledge</h1>
      {result && "elsewhere" in result && result.elsewhere ? (
        <p className="inset-text">
          <Link to={withQuery(paths.ask(result.elsewhere.slug), { postcode: values.postcode })}>
            Write to the candidates in {result.elsewhere.name}
          </Link>
        </p>
      ) : null}
      {data.signed.length > 0 ? (
        <div className="inset-text">
          <h2 className="heading-s">Already signed every point</h2>
          <ul className="list">
            {data.signed.map((c) => (
              <li key={c.id}>
                {c.name} has signed. <Link to={`${paths.candidate(c.personId)}#thank`}>Thank {c.name}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {candidates.length === 0 ? (
        <p>
          {data.signed.length > 0
            ? "Every candidate here has signed the pledge. Thank them instead."
            : "We do not know of any candidates standing here yet. Please come back later."}
        </p>
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="startedAt" value={startedAt} />
          <input type="hidden" name="publicListTextId" value={data.consents.publicList.id} />
          <input type="hidden" name="updatesTextId" value={data.consents.updates.id} />
          <Honeypot />
          <TextField
            id="name"
            label="Your name"
            autoComplete="name"
            spellCheck={false}
            defaultValue={values.name}
            error={errors.name}
          />
          <TextField
            id="email"
            label="Your email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            hint="We will email you a link to confirm before anything is sent. Candidates' replies come to this address."
            defaultValue={values.email}
            error={errors.email}
          />
          <TextField
            id="postcode"
            label="Your postcode"
            autoComplete="postal-code"
            hint="Candidates listen to people who live in their constituency."
            className="input--postcode"
            defaultValue={values.postcode}
            error={errors.postcode}
          />
          <ChoiceGroup
            id="candidacyIds"
            name="candidacyIds"
            type="checkbox"
            legend="Who do you want to write to?"
            hint="Select all that apply."
            error={errors.candidacyIds}
            checked={values.candidacyIds}
            options={candidates.map((c) => ({
              value: String(c.id),
              label: c.name,
              hint: c.hasEmail ? undefined : "No published email address",
            }))}
          />
          <h2 className="heading-m">What your message will ask</h2>
          <ol className="pledge-points">
            {data.points.map((p) => (
              <li key={p.id}>{p.title}</li>
            ))}
          </ol>
          <ChoiceGroup
            id="wordingId"
            name="wordingId"
            type="radio"
            legend="How would you like to word it?"
            error={errors.wordingId}
            checked={[values.wordingId]}
            options={data.wordingVariants.map((w) => ({ value: w.id, label: w.label, hint: w.opening }))}
          />
          <TextArea
            id="personalMessage"
            label="Add something in your own words (optional)"
            hint={
              data.messagePrompts.length > 0 ? (
                <>
                  <span>You could say:</span>
                  <ul>
                    {data.messagePrompts.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                  <span>You can enter up to {MESSAGE_MAX} characters.</span>
                </>
              ) : (
                `You can enter up to ${MESSAGE_MAX} characters.`
              )
            }
            defaultValue={values.personalMessage}
            error={errors.personalMessage}
          />
          <ChoiceGroup
            id="showOnPublicList"
            name="showOnPublicList"
            type="checkbox"
            legend="Show your support"
            error={errors.showOnPublicList}
            checked={values.showOnPublicList ? ["yes"] : []}
            options={[
              {
                value: "yes",
                label: data.consents.publicList.wording,
                hint: "For example, “Rajan N”. We never show your email, postcode or surname.",
              },
            ]}
          />
          <ChoiceGroup
            id="wantsUpdates"
            name="wantsUpdates"
            type="checkbox"
            legend="Campaign updates"
            checked={values.wantsUpdates ? ["yes"] : []}
            options={[{ value: "yes", label: data.consents.updates.wording }]}
          />
          {/* A new tab, as GOV.UK advises for a link inside a form: without
              JavaScript, following it here would lose what was typed. */}
          <p>
            Our{" "}
            <a href={paths.privacy} target="_blank" rel="noreferrer">
              privacy notice (opens in new tab)
            </a>{" "}
            says what we do with your name, email, postcode and message, who receives them and how long we keep them.
          </p>
          <button className="button" type="submit" name="intent" value="preview">
            Continue
          </button>
        </Form>
      )}
    </>
  );
}

function Honeypot() {
  return (
    <div className="trap" aria-hidden="true">
      <label htmlFor={TRAP_FIELD}>Leave this field blank</label>
      <input id={TRAP_FIELD} name={TRAP_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

function HiddenValues({ values, startedAt }: { values: Values; startedAt: string }) {
  return (
    <>
      <input type="hidden" name="startedAt" value={startedAt} />
      <input type="hidden" name="name" value={values.name} />
      <input type="hidden" name="email" value={values.email} />
      <input type="hidden" name="postcode" value={values.postcode} />
      {values.candidacyIds.map((id) => (
        <input key={id} type="hidden" name="candidacyIds" value={id} />
      ))}
      <input type="hidden" name="wordingId" value={values.wordingId} />
      <input type="hidden" name="personalMessage" value={values.personalMessage} />
      {values.showOnPublicList ? <input type="hidden" name="showOnPublicList" value="yes" /> : null}
      {values.wantsUpdates ? <input type="hidden" name="wantsUpdates" value="yes" /> : null}
      <input type="hidden" name="publicListTextId" value={values.publicListTextId} />
      <input type="hidden" name="updatesTextId" value={values.updatesTextId} />
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
