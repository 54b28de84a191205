import { Link } from "@remix-run/react";
import { SUPPORTER_LINK_LIFETIME_MS } from "~/utils/lifetimes";
import { paths } from "~/utils/paths";
import { describeDuration } from "~/utils/time";

/**
 * What a supporter's manage or unsubscribe link shows when it does not work
 * (unknown, expired, or the person has been erased), with a 404. It says
 * nothing of whether the link ever worked.
 */
export function LinkNotWorking() {
  return (
    <>
      <title>This link does not work</title>
      <h1 className="heading-xl">This link does not work</h1>
      <p>
        It may have expired (each link works for {describeDuration(SUPPORTER_LINK_LIFETIME_MS)}), or the data it was for
        may have been deleted already.
      </p>
      <p>
        Every email we send you has a new link at the bottom. If you need help, our privacy notice says how to reach us.
      </p>
      <p>
        <Link to={paths.privacy}>Read our privacy notice</Link>
      </p>
    </>
  );
}
