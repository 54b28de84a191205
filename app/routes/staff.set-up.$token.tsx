import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { generateTOTP, getTOTPAuthUri } from "@epic-web/totp";
import { TOTP_PERIOD_SECONDS, totpStepOf } from "~/auth/sign-in.server";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/field";
import { findCampaign } from "~/models/campaign.server";
import { completeSetUp, findSetUpLink } from "~/models/staff.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { passwordPolicy } from "~/utils/password-policy";
import { hashPassword, passwordProblem } from "~/utils/password.server";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders, tokenPageHeaders } from "~/utils/private-page";

export { ErrorBoundary } from "~/components/route-error";

// A page whose URL holds a live token: never cached, its referrer only ever our origin.
export const headers: HeadersFunction = () => ({ ...staffPageHeaders, ...tokenPageHeaders });

export const meta: MetaFunction = () => [noIndex];

// The secret is made on the server for each showing of the form and carried in
// the form (the page is no-store), so the code typed proves the app has it
// before anything is saved. RFC 4648 base32, as authenticator apps read it.
const totpSecretPattern = /^[A-Z2-7]{16,64}$/;

async function newSecondFactor(email: string) {
  const { secret } = await generateTOTP({ period: TOTP_PERIOD_SECONDS });
  const issuer = `${(await findCampaign())?.name ?? "Pledge tracker"} staff`;
  return {
    secret,
    uri: getTOTPAuthUri({
      secret,
      period: TOTP_PERIOD_SECONDS,
      digits: 6,
      algorithm: "SHA-1",
      accountName: email,
      issuer,
    }),
  };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findSetUpLink({ token: params.token ?? "", now: new Date() });
  if (!link)
    return data(
      { link: null, secondFactor: null, passwordMinLength: null },
      { status: 404, headers: staffPageHeaders },
    );
  return {
    link: { email: link.email, role: link.role },
    // From the loader: the page is bundled for the browser, and the policy lives in a .server module.
    passwordMinLength: passwordPolicy.minLength,
    secondFactor: await newSecondFactor(link.email),
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const now = new Date();
  const link = await findSetUpLink({ token, now });
  if (!link) return data({ done: null, errors: null }, { status: 404, headers: staffPageHeaders });
  const form = await request.formData();
  const password = String(form.get("password") ?? "");
  const confirm = String(form.get("confirmPassword") ?? "");
  const secret = String(form.get("totpSecret") ?? "");
  const code = String(form.get("code") ?? "").replace(/\s+/g, "");
  const errors: FieldErrors = {};
  errors.password = passwordProblem({ password, email: link.email }) ?? undefined;
  if (!errors.password && confirm !== password) errors.confirmPassword = "Enter the same password twice";
  const wantsSecondFactor = link.role === "admin" || code !== "";
  let totp: { secret: string; step: number } | null = null;
  if (wantsSecondFactor) {
    if (code === "") errors.code = "Enter the 6-digit code from your authenticator app: admins must set one up";
    else if (!totpSecretPattern.test(secret) || !/^\d{6}$/.test(code))
      errors.code = "Enter the 6-digit code your app shows";
    else {
      const step = await totpStepOf({ code, secret, now });
      if (step === null)
        errors.code = "The code is not right: check the app added this console and enter the newest code it shows";
      else totp = { secret, step };
    }
  }
  if (Object.values(errors).some(Boolean))
    return data({ done: null, errors }, { status: 400, headers: staffPageHeaders });
  const done = await completeSetUp({ token, passwordHash: await hashPassword(password), totp, now });
  if (!done) return data({ done: null, errors: null }, { status: 404, headers: staffPageHeaders });
  return data({ done, errors: null }, { headers: staffPageHeaders });
}

export default function SetUp() {
  const { link, secondFactor, passwordMinLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.done) return <SetUpDone recoveryCodes={actionData.done.recoveryCodes} />;
  if (!link || !secondFactor) {
    return (
      <>
        <title>This set-up link does not work</title>
        <h1 className="heading-l">This set-up link does not work</h1>
        <p>It may have been used already, or it is more than 24 hours old.</p>
        <p>
          Ask an admin for a new set-up link. If you have set up your account,{" "}
          <Link to={paths.staffSignIn}>sign in</Link>.
        </p>
      </>
    );
  }
  const errors = actionData?.errors ?? {};
  const isAdmin = link.role === "admin";
  return (
    <>
      <title>{errorTitle("Set up your staff account", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-l">Set up your staff account</h1>
      <p>
        This account is for <strong>{link.email}</strong>.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name="totpSecret" value={secondFactor.secret} />
        <h2 className="heading-m">Choose a password</h2>
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${passwordMinLength} characters. A few words you will remember is a good password; a password manager is better. Avoid common passwords.`}
          error={errors.password}
        />
        <TextField
          id="confirmPassword"
          label="Enter the password again"
          type="password"
          autoComplete="new-password"
          error={errors.confirmPassword}
        />
        <h2 className="heading-m">
          {isAdmin ? "Set up a code from an app" : "Set up a code from an app (recommended)"}
        </h2>
        <p>
          {isAdmin
            ? "Admins must sign in with a password and a code from an authenticator app, so nobody can sign in with the password alone."
            : "With a code from an authenticator app, nobody can sign in with your password alone. If you do not want one, leave the code blank."}
        </p>
        <ol className="list list--number">
          <li>
            Open an authenticator app (such as Google Authenticator, Microsoft Authenticator or your password manager)
            and add an account. On this device you can <a href={secondFactor.uri}>open the app with this link</a>.
          </li>
          <li>
            Or type this key into the app:{" "}
            <code className="secret-key">{secondFactor.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
          </li>
          <li>Enter the 6-digit code the app then shows.</li>
        </ol>
        <TextField
          id="code"
          label="Code from the app"
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          className="input--width-10"
          error={errors.code}
        />
        <button type="submit" className="button">
          Save and continue
        </button>
      </Form>
    </>
  );
}

function SetUpDone({ recoveryCodes }: { recoveryCodes: string[] }) {
  return (
    <>
      <title>Your account is set up</title>
      <div className="panel">
        <h1 className="panel__title">Your account is set up</h1>
      </div>
      {recoveryCodes.length > 0 ? (
        <>
          <h2 className="heading-m">Keep these recovery codes safe</h2>
          <p>
            If you lose your authenticator app, sign in with one of these codes instead. Each works once. Print them or
            keep them in a password manager now: <strong>this page will not show them again.</strong>
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to={paths.staffSignIn} className="button">
          Sign in
        </Link>
      </p>
    </>
  );
}
