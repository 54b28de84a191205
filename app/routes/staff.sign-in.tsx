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
import { signInWithPassword } from "~/auth/sign-in.server";
import { findRequestSession, safeNextPath, staffSessionCookie } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/field";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { clientIpOf } from "~/utils/request.server";
import { waitInWords } from "~/utils/too-many-requests";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = safeNextPath(url.searchParams.get("next"));
  const session = await findRequestSession(request);
  if (session && !session.secondFactorPending) throw redirect(next, { headers: staffPageHeaders });
  return { signedOut: url.searchParams.has("signed-out") };
}

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address"),
  password: z.string().min(1, "Enter your password"),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  const fields = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
  const parsed = schema.safeParse(fields);
  const email = fields.email.trim();
  if (!parsed.success)
    return data({ errors: fieldErrorsOf(parsed.error), email }, { status: 400, headers: staffPageHeaders });
  const result = await signInWithPassword({ ...parsed.data, clientIp: clientIpOf(context), now: new Date() });
  if (result.outcome === "rate-limited") {
    const errors: FieldErrors = {
      email: `There have been too many attempts to sign in. Wait ${waitInWords(result.retryAfterSeconds)} and try again`,
    };
    return data(
      { errors, email },
      { status: 429, headers: { ...staffPageHeaders, "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (result.outcome === "wrong") {
    // One message whichever was wrong, so nobody learns which emails have accounts.
    const errors: FieldErrors = { email: "Enter a correct email address and password" };
    return data({ errors, email }, { status: 400, headers: staffPageHeaders });
  }
  const to = result.outcome === "second-factor" ? withQuery(paths.staffSignInCode, { next }) : next;
  throw redirect(to, { headers: { ...staffPageHeaders, "Set-Cookie": await staffSessionCookie(result.sessionId) } });
}

export default function SignIn() {
  const { signedOut } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <>
      <title>{errorTitle("Sign in to the staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      {signedOut && !actionData ? (
        <div className="notification" role="status">
          <p>You have signed out.</p>
        </div>
      ) : null}
      <h1 className="heading-l">Sign in to the staff console</h1>
      <p>This part of the site is for the campaign&rsquo;s staff. Supporters and candidates do not need an account.</p>
      <Form method="post" noValidate>
        <TextField
          id="email"
          label="Email address"
          type="email"
          autoComplete="username"
          spellCheck={false}
          defaultValue={actionData?.email}
          error={errors.email}
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={errors.password}
        />
        <button type="submit" className="button">
          Sign in
        </button>
      </Form>
      <p>If you have forgotten your password or lost your authenticator, ask an admin for a new set-up link.</p>
    </>
  );
}
