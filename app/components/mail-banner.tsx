import { Link } from "@remix-run/react";
import { paths } from "~/utils/paths";

/**
 * Shown on every page when no SMTP server is configured, so nobody trying the
 * site believes their mail went anywhere. Plain words, no JavaScript.
 */
export function MailBanner({ mailMode }: { mailMode: "smtp" | "local" }) {
  if (mailMode === "smtp") return null;
  return (
    <div className="mail-banner" role="region" aria-label="Mail is not being sent">
      <div className="width-container">
        <p className="mail-banner__text">
          <strong>Mail is not being sent.</strong> This site is running without an SMTP server: messages go to a{" "}
          <Link to={paths.outbox}>local mailbox</Link> (only readable on this computer).
        </p>
      </div>
    </div>
  );
}
