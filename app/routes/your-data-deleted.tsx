import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { paths } from "~/utils/paths";
import { noIndex } from "~/utils/private-page";

// Where "delete my data" ends. It carries no token and names no one, so it
// can be shown to anyone.

export const meta: MetaFunction = () => [{ title: "Your data has been deleted" }, noIndex];

export default function YourDataDeleted() {
  return (
    <>
      <h1 className="heading-xl">Your data has been deleted</h1>
      <p>
        We have deleted your name, email address, postcode and message, and the record of what you agreed to. Your name
        is no longer on the public list of supporters, and nothing we had not yet sent you will be sent.
      </p>
      <p>
        Messages already delivered to candidates cannot be recalled: they are in the candidates&rsquo; own mailboxes.
      </p>
      <p>Your ask still counts in the totals, with nothing left that says it was you.</p>
      <p>
        <Link to={paths.home}>Go to the home page</Link>
      </p>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
