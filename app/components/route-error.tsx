import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { waitInWords } from "~/utils/too-many-requests";
import { paths } from "~/utils/paths";

/**
 * The error pages routes share: not found, too many requests (the same
 * generic page whichever limit was hit) and anything else.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <title>Page not found</title>
        <h1 className="heading-l">Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>
          <Link to={paths.constituencies}>Find your constituency</Link>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    // A signed-in member of staff whose role does not reach this page.
    return (
      <>
        <title>You cannot use this page</title>
        <h1 className="heading-l">You cannot use this page</h1>
        <p>Your staff account does not have the role this page needs. Ask an admin if you should have it.</p>
        <p>
          <Link to={paths.staff}>Go to the staff dashboard</Link>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 429) {
    // tooManyRequests() puts the wait in the body as well as in Retry-After.
    const data: unknown = error.data;
    const retryAfter =
      typeof data === "object" &&
      data !== null &&
      "retryAfterSeconds" in data &&
      typeof data.retryAfterSeconds === "number"
        ? data.retryAfterSeconds
        : null;
    return (
      <>
        <title>Sorry, there have been too many attempts</title>
        <h1 className="heading-l">Sorry, there have been too many attempts</h1>
        <p>To protect candidates and supporters from abuse, we limit how often messages can be sent.</p>
        <p>{retryAfter === null ? "Please try again later." : `Please try again in ${waitInWords(retryAfter)}.`}</p>
      </>
    );
  }
  console.error(error);
  return (
    <>
      <title>Sorry, there is a problem with the service</title>
      <h1 className="heading-l">Sorry, there is a problem with the service</h1>
      <p>Try again later.</p>
    </>
  );
}
