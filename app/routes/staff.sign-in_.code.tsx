import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { signInWithSecondFactor } from "~/auth/sign-in.server";
import { findRequestSession, readStaffForm, safeNextPath, staffSessionCookie } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/field";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { csrfField } from "~/utils/staff-form";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { waitInWords } from "~/utils/too-many-requests";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

// The second step of signing in: only a session whose password was right and
// whose code is still to come may see it.
async function pendingSession(request: Request) {
  const session = await findRequestSession(request);
  if (!session || !session.secondFactorPending) throw redirect(paths.staffSignIn, { headers: staffPageHeaders });
  return session;
}

export async function loader({ request }: LoaderFunctionArgs) {
  return { csrfToken: (await pendingSession(request)).csrfToken };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await pendingSession(request);
  const form = await readStaffForm(request, session);
  const code = String(form.get("code") ?? "");
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  if (code.trim() === "") {
    const errors: FieldErrors = { code: "Enter the code from your authenticator app, or a recovery code" };
    return data({ errors }, { status: 400, headers: staffPageHeaders });
  }
  const result = await signInWithSecondFactor({
    sessionId: session.sessionId,
    accountId: session.account.id,
    code,
    now: new Date(),
  });
  if (result.outcome === "rate-limited") {
    const errors: FieldErrors = {
      code: `There have been too many attempts. Wait ${waitInWords(result.retryAfterSeconds)} and try again`,
    };
    return data(
      { errors },
      { status: 429, headers: { ...staffPageHeaders, "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (result.outcome !== "signed-in") {
    const errors: FieldErrors = {
      code: "The code is not right: enter the newest code from your authenticator app, or an unused recovery code",
    };
    return data({ errors }, { status: 400, headers: staffPageHeaders });
  }
  throw redirect(next, { headers: { ...staffPageHeaders, "Set-Cookie": await staffSessionCookie(result.sessionId) } });
}

export default function SignInCode() {
  const { csrfToken } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <>
      <title>{errorTitle("Enter your code", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-l">Enter your code</h1>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <TextField
          id="code"
          label="Code"
          hint="The 6-digit code your authenticator app shows for this console, or one of your recovery codes."
          autoComplete="one-time-code"
          inputMode="text"
          spellCheck={false}
          className="input--width-10"
          error={errors.code}
        />
        <button type="submit" className="button">
          Continue
        </button>
      </Form>
    </>
  );
}
