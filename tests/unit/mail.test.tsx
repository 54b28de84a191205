// Pure pieces of the mail code: cleaning header text, telling a sendable
// address, sorting SMTP errors into retry or fail, the backoff schedule, and
// the mailbox's link rendering and banner.
import { StaticRouter } from "react-router-dom/server";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { MailBanner } from "~/components/mail-banner";
import { MailText, splitLinks } from "~/components/mail-text";
import { retryDelayMs } from "~/models/outbox.server";
import {
  classifySendError,
  cleanHeaderText,
  composeMail,
  isSendableAddress,
  listUnsubscribeHeaders,
} from "~/mail/transport.server";

test("header text loses CR, LF, NUL and every other control character", () => {
  expect(cleanHeaderText("Ada\r\nBcc: evil@example.org")).toBe("Ada Bcc: evil@example.org");
  expect(cleanHeaderText("a\u0000b\tc\u000bd\u001be\u007ff\u0085g\u2028h\u2029i")).toBe("a b c d e f g h i");
  expect(cleanHeaderText("  Siân   Llŷr \n")).toBe("Siân Llŷr");
  expect(cleanHeaderText('O\'Brien <Dr.> "Jo", Smith; (x)')).toBe('O\'Brien <Dr.> "Jo", Smith; (x)');
});

test("only a single plain address is sendable; nothing is tidied into one", () => {
  for (const good of [
    "ada@example.org",
    "ada.lovelace+pledge@candidates.example.org",
    "o'brien@example.co.uk",
    "siân@afonydd.cymru",
  ]) {
    expect(isSendableAddress(good), good).toBe(true);
  }
  for (const bad of [
    "ada@example.org\r\n",
    "ada@example.org\r\nBcc: evil@example.org",
    "ada@example.org, evil@example.org",
    "ada@example.org;evil@example.org",
    "Ada <ada@example.org>",
    "ada\u0000@example.org",
    "ada @example.org",
    '"ada"@example.org',
    "ada@evil@example.org",
    "ada@localhost",
    "ada@[127.0.0.1]",
    "",
    `${"a".repeat(250)}@example.org`,
  ]) {
    expect(isSendableAddress(bad), JSON.stringify(bad)).toBe(false);
  }
});

function smtpError({ message, code, responseCode }: { message: string; code?: string; responseCode?: number }) {
  return Object.assign(new Error(message), { code, responseCode });
}

test("5xx replies fail for good; 4xx, 503, broken connections and our own login problems are retried", () => {
  expect(
    classifySendError(smtpError({ message: "550 5.1.1 No such user", code: "EENVELOPE", responseCode: 550 })),
  ).toEqual({
    outcome: "failed",
    error: "550 5.1.1 No such user",
  });
  expect(
    classifySendError(smtpError({ message: "554 Message rejected", code: "EMESSAGE", responseCode: 554 })).outcome,
  ).toBe("failed");
  for (const temporary of [
    smtpError({ message: "451 4.3.0 Try later", code: "EENVELOPE", responseCode: 451 }),
    smtpError({ message: "421 Closing", code: "ECONNECTION", responseCode: 421 }),
    smtpError({ message: "503 Bad sequence", code: "EPROTOCOL", responseCode: 503 }),
    smtpError({ message: "535 Authentication failed", code: "EAUTH", responseCode: 535 }),
    smtpError({ message: "connect ECONNREFUSED 127.0.0.1:2525", code: "ESOCKET" }),
    smtpError({ message: "Connection timeout", code: "ETIMEDOUT" }),
    new Error("something else"),
    "not even an error",
  ]) {
    expect(classifySendError(temporary).outcome, String(temporary)).toBe("retry");
  }
});

test("an error from the server is kept on one line and not too long", () => {
  const { error } = classifySendError(
    smtpError({ message: `550 no\r\nX-Evil: 1 ${"x".repeat(1000)}`, responseCode: 550 }),
  );
  expect(error).not.toMatch(/[\r\n]/);
  expect(error.length).toBe(500);
});

test("the wait before a retry doubles from a minute and stops at an hour", () => {
  expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempts) => retryDelayMs({ attempts }) / 60_000)).toEqual([
    1, 2, 4, 8, 16, 32, 60, 60, 60,
  ]);
});

test("http and https links in a mail become links; other schemes and the sentence around them stay text", () => {
  expect(
    splitLinks(
      "Confirm: http://localhost:3000/asks/confirm/abc123. Or see (https://example.org/a?b=1&c=2), javascript:alert(1)",
    ),
  ).toEqual([
    { text: "Confirm: " },
    { url: "http://localhost:3000/asks/confirm/abc123" },
    { text: ". Or see (" },
    { url: "https://example.org/a?b=1&c=2" },
    { text: "), javascript:alert(1)" },
  ]);
  expect(splitLinks("no links here")).toEqual([{ text: "no links here" }]);
});

test("a mail body renders as text, with only its http(s) links as anchors", () => {
  const html = renderToStaticMarkup(
    <MailText text={'<b>Hi</b> "x" http://localhost:3000/a?x=<script>\njavascript:alert(1)'} />,
  );
  expect(html).toContain("&lt;b&gt;Hi&lt;/b&gt;");
  expect(html).toContain('<a href="http://localhost:3000/a?x=" rel="noreferrer">http://localhost:3000/a?x=</a>');
  expect(html).not.toContain("<script>");
  expect(html.match(/<a /g)).toHaveLength(1);
});

test("without SMTP the banner says mail is not being sent and links to the local mailbox; with SMTP there is none", () => {
  const local = renderToStaticMarkup(
    <StaticRouter location="/">
      <MailBanner mailMode="local" />
    </StaticRouter>,
  );
  expect(local.replace(/<[^>]+>/g, "")).toContain(
    "Mail is not being sent. This site is running without an SMTP server: messages go to a local mailbox (only readable on this computer).",
  );
  expect(local).toContain('href="/outbox"');

  const smtp = renderToStaticMarkup(
    <StaticRouter location="/">
      <MailBanner mailMode="smtp" />
    </StaticRouter>,
  );
  expect(smtp).toBe("");
});

const unsubscribeUrl = `https://pledge.example.org/your-data/${"t".repeat(43)}/unsubscribe`;

test("List-Unsubscribe is the https link in angle brackets, with RFC 8058's one-click marker beside it", () => {
  expect(listUnsubscribeHeaders(unsubscribeUrl)).toEqual({
    "List-Unsubscribe": `<${unsubscribeUrl}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
});

test("a List-Unsubscribe URL that could end its header or its brackets is refused, never sent", () => {
  const message = {
    id: 1,
    toAddress: "sam@example.net",
    toName: "Sam",
    replyTo: null,
    subject: "Hello",
    textBody: "Hi",
    messageId: "<outbox.1@pledge.example.org>",
    attempts: 1,
    createdAt: "2024-06-10T12:00:00.000Z",
  };
  const sender = { name: "Pledge", address: "pledge@example.org" };
  expect(composeMail({ message: { ...message, listUnsubscribe: unsubscribeUrl }, sender })).toMatchObject({
    listUnsubscribe: unsubscribeUrl,
  });
  expect(composeMail({ message: { ...message, listUnsubscribe: null }, sender })).toMatchObject({
    listUnsubscribe: null,
  });
  for (const bad of [`${unsubscribeUrl}>\r\nBcc: evil@example.org`, `${unsubscribeUrl} x`, "javascript:alert(1)"]) {
    expect(composeMail({ message: { ...message, listUnsubscribe: bad }, sender }), bad).toEqual({
      invalid: "The List-Unsubscribe URL is malformed.",
    });
  }
});
