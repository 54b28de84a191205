import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findPrivacyNotice } from "~/models/privacy.server";
import { mailMode } from "~/utils/env.server";
import { publicPageHeaders } from "~/utils/http-cache";
import { ASK_LIFETIME_MS } from "~/utils/lifetimes";
import { addDays, dayInWords } from "~/utils/london-day";
import { paths } from "~/utils/paths";
import { DAY, describeDuration } from "~/utils/time";
import { staticPage } from "~/utils/route-handle";

export { ErrorBoundary } from "~/components/route-error";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Privacy notice – ${data.campaignName}` : "Privacy notice" },
  {
    name: "description",
    content:
      "What we collect when you ask your candidates to sign, why, who sees it, how long we keep it, and your rights.",
  },
];

// Written from the campaign's settings, so what the notice says about who we
// are and how long we keep things is what the settings (and the clean-up jobs
// that read them) do.
export async function loader() {
  const notice = await findPrivacyNotice();
  if (!notice) throw new Response("No campaign is set up yet", { status: 404 });
  const { retention, electionDate } = notice;
  return {
    ...notice,
    pollingDay: dayInWords(electionDate),
    askErasedOn: dayInWords(addDays(electionDate, retention.askDaysAfterPollingDay)),
    askKeptFor: describeDuration(retention.askDaysAfterPollingDay * DAY),
    // In hours, as the setting is: "24 hours" says more plainly than "1 day" that it is short.
    clientDataKeptFor: `${retention.clientDataHours} hours`,
    // Only a server without a mail provider keeps copies of what it sends.
    mailboxKeptFor: mailMode === "local" ? describeDuration(retention.mailboxDays * DAY) : null,
    unconfirmedKeptFor: describeDuration(ASK_LIFETIME_MS),
  };
}

export default function Privacy() {
  const notice = useLoaderData<typeof loader>();
  const { contacts, campaignName } = notice;
  const hasDpo = contacts.dpoName !== "" || contacts.dpoEmail !== "";
  return (
    <>
      <h1 className="heading-xl">Privacy notice</h1>
      <p className="body-l">
        What happens to your information when you use {campaignName} to ask your candidates to sign the pledge.
      </p>

      <h2 className="heading-l" id="who-we-are">
        Who we are
      </h2>
      <p>
        {contacts.controllerName} is the data controller: we decide what is done with your information and we are
        responsible for it under UK data protection law (the UK GDPR and the Data Protection Act 2018).
      </p>
      <p>You can contact us about your information:</p>
      <ul className="list">
        <li>
          by email at <a href={`mailto:${contacts.controllerEmail}`}>{contacts.controllerEmail}</a>
        </li>
        {contacts.controllerAddress ? (
          <li>
            by post to{" "}
            <address>
              {contacts.controllerName}
              {contacts.controllerAddress.split("\n").map((line, i) => (
                <span key={`${i}:${line}`}>
                  <br />
                  {line}
                </span>
              ))}
            </address>
          </li>
        ) : null}
      </ul>
      {hasDpo ? (
        <p>
          Our Data Protection Officer{contacts.dpoName ? ` is ${contacts.dpoName}` : ""}
          {contacts.dpoEmail ? (
            <>
              {contacts.dpoName ? ". Email them" : " can be emailed"} at{" "}
              <a href={`mailto:${contacts.dpoEmail}`}>{contacts.dpoEmail}</a>
            </>
          ) : null}
          .
        </p>
      ) : null}

      <h2 className="heading-l" id="what-we-collect">
        What we collect and why
      </h2>
      <p>When you ask your candidates to sign, we collect:</p>
      <ul className="list list--bullet">
        <li>your name, email address and postcode, to write to the candidates for your constituency on your behalf</li>
        <li>the message you add, if you add one, to send with your ask</li>
        <li>
          the choices you make: which candidates to write to, how to word it, whether to appear on the public list and
          whether to get campaign updates
        </li>
        <li>when you asked and when you confirmed your email address</li>
        <li>
          a scrambled (hashed) form of the internet address your device connected from, never the address itself, so
          that we can spot one machine sending many asks
        </li>
      </ul>
      <p>
        Asking a candidate to sign this pledge shows your political opinion, which the law treats as special category
        data and protects more strongly. We use it only to send your ask and to count support, and we never sell it.
      </p>

      <h2 className="heading-l" id="lawful-basis">
        Our lawful basis
      </h2>
      <ul className="list list--bullet">
        <li>
          To send your ask and hold the political opinion it shows, we rely on your explicit consent (UK GDPR Article
          9(2)(a), with Article 6(1)(a)). You give it when you confirm your ask from the email we send you.
        </li>
        <li>
          To show your first name and the initial of your last name on the public list of supporters, we rely on your
          consent, which you give by ticking that box. We never show your email, postcode or surname.
        </li>
        <li>
          To send you campaign updates, such as when your candidates sign, we rely on your consent, which you give by
          ticking that box.
        </li>
      </ul>
      <p>You can withdraw any of these consents at any time; see your rights below.</p>

      <h2 className="heading-l" id="who-receives-it">
        Who receives your information
      </h2>
      <ul className="list list--bullet">
        <li>
          The candidates you choose to write to receive your name, email address, postcode and message, in an email from
          us. They can reply to you directly. Once an email has reached a candidate we cannot recall it: what they do
          with it is up to them.
        </li>
        <li>
          Our email provider carries the emails we send to you and to candidates, and handles them only on our
          instructions.
        </li>
        <li>
          Everyone who visits the site sees your first name and last initial on the list of supporters, if you chose
          that.
        </li>
        <li>Our staff and volunteers see asks in order to run the campaign and to stop abuse.</li>
      </ul>
      <p>We publish counts of asks for each constituency and candidate; they name nobody.</p>

      <h2 className="heading-l" id="how-long">
        How long we keep it
      </h2>
      <ul className="list list--bullet">
        <li>
          Your ask (your name, email address, postcode, message and choices, and our copies of the emails about it):{" "}
          {notice.askKeptFor} after polling day ({notice.pollingDay}), so until {notice.askErasedOn}. If you asked for
          campaign updates, we keep your name and email address for those until you stop them.
        </li>
        <li>An ask you never confirm is deleted after {notice.unconfirmedKeptFor}, with the emails about it.</li>
        <li>
          The hashed internet address: {notice.clientDataKeptFor} after your ask, the time our checks for one machine
          sending many asks look back over. We keep it longer only while an ask from the same connection is still
          waiting to be confirmed (at most {notice.unconfirmedKeptFor}) or is waiting for a person to check it, because
          the check is made then. The counters that limit how often a connection can use our forms are kept for{" "}
          {notice.clientDataKeptFor} as well.
        </li>
        {notice.mailboxKeptFor ? (
          <li>
            This site is running without an email provider (while it is being set up or tested): the copies of emails it
            keeps instead of sending them are deleted after {notice.mailboxKeptFor}.
          </li>
        ) : null}
      </ul>

      <h2 className="heading-l" id="your-rights">
        Your rights
      </h2>
      <p>You have the right to:</p>
      <ul className="list list--bullet">
        <li>get a copy of the information we hold about you</li>
        <li>have it corrected if it is wrong</li>
        <li>have it erased</li>
        <li>withdraw your consent to the public list, to updates, or to us holding your ask at all</li>
      </ul>
      <p>
        Every email we send you has a &ldquo;manage my data&rdquo; link. It opens a page where you can stop campaign
        updates, take your name off the public list, or delete everything we hold about you. You do not need an account.
        Your email app may also show an &ldquo;Unsubscribe&rdquo; button on our emails: it stops campaign updates at
        once. For a copy of your information, or anything else, email{" "}
        <a href={`mailto:${contacts.controllerEmail}`}>{contacts.controllerEmail}</a>. We will reply within one month.
      </p>

      <h2 className="heading-l" id="complaints">
        How to complain
      </h2>
      <p>
        If you are unhappy with how we have used your information, please tell us first. You can also complain to the
        Information Commissioner&rsquo;s Office (ICO), the UK&rsquo;s data protection regulator, at{" "}
        <a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a> or by phone on 0303 123 1113.
      </p>

      <p>
        <Link to={paths.home}>Back to {campaignName}</Link>
      </p>
    </>
  );
}
