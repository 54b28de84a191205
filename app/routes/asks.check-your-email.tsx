import type { MetaFunction } from "@remix-run/node";
import { ASK_LIFETIME_MS } from "~/utils/lifetimes";
import { describeDuration } from "~/utils/time";
import { noIndex } from "~/utils/private-page";
import { staticPage } from "~/utils/route-handle";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Check your email" }, noIndex];

// Everyone who submits sees this same page, whether or not they asked before,
// so the form cannot be used to find out who has asked.
export default function CheckYourEmail() {
  return (
    <>
      <h1 className="heading-xl">Check your email</h1>
      <p className="body-l">
        We have sent you an email with a link. Open it and press the button to send your message.
      </p>
      <p>Nothing goes to the candidates until you do. The link works once, for {describeDuration(ASK_LIFETIME_MS)}.</p>
      <h2 className="heading-m">If the email does not arrive</h2>
      <p>Check your spam or junk folder. It can take a few minutes to arrive.</p>
      <p>If you do not confirm within {describeDuration(ASK_LIFETIME_MS)}, we delete your details.</p>
    </>
  );
}
