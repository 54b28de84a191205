// The one way mail leaves the app: the worker hands each outbox row to
// sendOutboxMessage, which sends it through the transport chosen from
// SMTP_URL (a pooled SMTP connection) or, with none set, renders it and keeps
// it in the local mailbox. Nothing here is ever called inside a web request.
import nodemailer from "nodemailer";
import type { NodemailerError } from "nodemailer";
import { encodeWord } from "nodemailer/lib/mime-funcs";
import { findCampaign } from "~/models/campaign.server";
import { storeMailboxMessage } from "~/models/mailbox.server";
import type { OutboxMessage } from "~/models/outbox.server";
import { env } from "~/utils/env.server";

export type MailMode = "smtp" | "local";

type Address = { name: string; address: string };

/** A message ready for the wire: every field checked and cleaned by composeMail. */
export type ComposedMail = {
  outboxId: number;
  from: Address;
  to: Address;
  replyTo: string | null;
  subject: string;
  text: string;
  messageId: string;
  /** The Date header: when the mail was queued, so a resend is byte for byte the first attempt. */
  date: Date;
  /** A supporter's mail: the one-click unsubscribe URL its List-Unsubscribe headers carry. */
  listUnsubscribe: string | null;
};

export type MailTransport = {
  mode: MailMode;
  /** Sends one message (`now` is when it is handed over); rejects with nodemailer's error when the server refuses it. */
  deliver(args: { mail: ComposedMail; now: Date }): Promise<void>;
  /** Closes pooled connections so the process can exit. */
  close(): void;
};

export type SendOutcome =
  { outcome: "sent" } | { outcome: "retry"; error: string } | { outcome: "failed"; error: string };

// Short enough that a dead or unreachable server fails an attempt in seconds
// (the row is retried later), long enough for a slow but working one.
const smtpTimeouts = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
};

/**
 * The transport for an SMTP URL (e.g. smtps://user:pass@smtp.example.org), or
 * the local mailbox when there is none. Settings in the URL's query string
 * (such as ?maxConnections=2) override the defaults here.
 */
export function createMailTransport(smtpUrl?: string): MailTransport {
  if (!smtpUrl) return createLocalTransport();
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    // A handful of reused connections: most of the cost of a mail is the SMTP handshake.
    pool: true,
    maxConnections: 5,
    ...smtpTimeouts,
    // Bodies are our own text, but never let a message read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    mode: "smtp",
    async deliver({ mail }) {
      await transporter.sendMail(toNodemailer(mail));
    },
    close() {
      transporter.close();
    },
  };
}

function createLocalTransport(): MailTransport {
  // Renders the same RFC 5322 message SMTP would carry, so the mailbox shows exactly what would be sent.
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "unix",
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    mode: "local",
    async deliver({ mail, now }) {
      const info = await transporter.sendMail(toNodemailer(mail));
      await storeMailboxMessage({
        outboxId: mail.outboxId,
        messageId: mail.messageId,
        fromAddress: mail.from.address,
        toAddress: mail.to.address,
        replyTo: mail.replyTo,
        subject: mail.subject,
        textBody: mail.text,
        raw: Buffer.isBuffer(info.message) ? info.message.toString("utf8") : "",
        deliveredAt: now,
      });
    },
    close() {
      transporter.close();
    },
  };
}

function toNodemailer(mail: ComposedMail) {
  // Addresses go to nodemailer as {name, address} objects, never as header
  // text, so it quotes or encodes the names; the explicit envelope means the
  // SMTP recipients are exactly this one address, whatever the headers say.
  return {
    from: mail.from,
    to: mail.to,
    replyTo: mail.replyTo ? { name: "", address: mail.replyTo } : undefined,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    // Nothing else in the message varies between attempts (a plain-text body
    // has no MIME boundary), so with the Date fixed a resend after a crash is
    // the same bytes, and a receiver that deduplicates sees one message.
    date: mail.date,
    envelope: { from: mail.from.address, to: [mail.to.address] },
    headers: mail.listUnsubscribe ? listUnsubscribeHeaders(mail.listUnsubscribe) : {},
  };
}

/**
 * The headers that let a mail client offer "unsubscribe" on a supporter's
 * mail: RFC 2369's List-Unsubscribe with our HTTPS link only (no mailto: no
 * one reads a mailbox for it), and RFC 8058's List-Unsubscribe-Post, which
 * says a POST of that body to the link unsubscribes in one click, no page needed.
 */
export function listUnsubscribeHeaders(url: string) {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

const globalForMail = globalThis as unknown as { pledgeMailTransport?: MailTransport };

/** The transport from SMTP_URL, built once per process. */
export function defaultMailTransport(): MailTransport {
  globalForMail.pledgeMailTransport ??= createMailTransport(env.SMTP_URL);
  return globalForMail.pledgeMailTransport;
}

/** Who the campaign's mail comes from, or undefined before a campaign is set up. */
export async function findSender(): Promise<Address | undefined> {
  const campaign = await findCampaign();
  if (!campaign) return undefined;
  return { name: campaign.name, address: campaign.fromEmail };
}

// C0 controls (CR, LF, NUL, TAB…), DEL, C1 controls (including NEL) and the
// Unicode line and paragraph separators: any of them in a header could end
// the line and start a new header, so names and subjects never carry them.
// eslint-disable-next-line no-control-regex -- matching control characters is the purpose
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Text safe for one header line: control characters become single spaces. */
export function cleanHeaderText(text: string) {
  return text.replace(controlCharacters, " ").replace(/ {2,}/g, " ").trim();
}

// Text that already looks like an RFC 2047 encoded-word ("=?UTF-8?Q?=0D=0A?=")
// is passed through by nodemailer and decoded by the reader's mail client,
// which would smuggle CR/LF back into the subject or name it shows. Encoding
// the whole text ourselves means it decodes to exactly what was typed.
const encodedWordLike = /=\?[^?]*\?[bq]\?/i;

function headerText(text: string) {
  const clean = cleanHeaderText(text);
  return encodedWordLike.test(clean) ? encodeWord(clean, "Q", 52) : clean;
}

// A plain addr-spec: no spaces, controls, quotes, brackets, commas or
// semicolons anywhere (nothing that could list a second recipient), no
// U+FFFD (what a NUL became when the mail was stored: withoutNul), one @,
// and a dotted domain.
const plainAddress =
  // eslint-disable-next-line no-control-regex -- matching control characters is the purpose
  /^[^\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd@<>()[\]\\,;:"]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

/** True for an address we will hand to an SMTP server as it stands. Addresses are never tidied into another one. */
export function isSendableAddress(address: string) {
  return address.length <= 254 && plainAddress.test(address);
}

function cleanBody(text: string) {
  // eslint-disable-next-line no-control-regex -- matching control characters is the purpose
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/** Builds the message for one outbox row, or says why it can never be sent. */
export function composeMail({
  message,
  sender,
}: {
  message: OutboxMessage;
  sender: Address;
}): ComposedMail | { invalid: string } {
  if (!isSendableAddress(message.toAddress))
    return { invalid: "The recipient's address is not a valid email address." };
  if (message.replyTo !== null && !isSendableAddress(message.replyTo)) {
    return { invalid: "The Reply-To address is not a valid email address." };
  }
  if (!isSendableAddress(sender.address))
    return { invalid: "The campaign's From address is not a valid email address." };
  if (!/^<[^\s<>]+@[^\s<>]+>$/.test(message.messageId)) return { invalid: "The Message-ID is malformed." };
  // The URL goes into a header between angle brackets: nothing in it may end the line or the brackets.
  if (message.listUnsubscribe !== null && !/^https?:\/\/[^\s<>"]+$/.test(message.listUnsubscribe))
    return { invalid: "The List-Unsubscribe URL is malformed." };
  return {
    outboxId: message.id,
    from: { name: headerText(sender.name), address: sender.address },
    to: { name: headerText(message.toName ?? ""), address: message.toAddress },
    replyTo: message.replyTo,
    subject: headerText(message.subject),
    text: cleanBody(message.textBody),
    messageId: message.messageId,
    date: new Date(message.createdAt),
    listUnsubscribe: message.listUnsubscribe,
  };
}

/**
 * Sends one outbox row and says what to do with it: sent; retry later (the
 * server or network may recover); or failed for good (the server refused the
 * message or recipient with a 5xx, or the row can never be sent).
 */
export async function sendOutboxMessage({
  message,
  sender,
  transport,
  now,
}: {
  message: OutboxMessage;
  sender: Address | undefined;
  transport: MailTransport;
  now: Date;
}): Promise<SendOutcome> {
  if (!sender) return { outcome: "retry", error: "No campaign is set up yet, so there is no From address." };
  const mail = composeMail({ message, sender });
  if ("invalid" in mail) return { outcome: "failed", error: mail.invalid };
  try {
    await transport.deliver({ mail, now });
    return { outcome: "sent" };
  } catch (error) {
    return classifySendError(error);
  }
}

// Refusals of the server's own configuration (our credentials, TLS) are not
// about this message: retry, so mail waits while someone fixes SMTP_URL.
const configurationErrors = new Set(["EAUTH", "ENOAUTH", "EOAUTH2", "ETLS", "EREQUIRETLS", "ECONFIG"]);

/** Permanent: a 5xx reply (but 503, which is about the session) to the message or a recipient. Anything else is temporary. */
export function classifySendError(error: unknown): SendOutcome & { outcome: "retry" | "failed" } {
  const err = (error ?? {}) as NodemailerError;
  const text = cleanHeaderText(error instanceof Error ? error.message : String(error)).slice(0, 500) || "Unknown error";
  const code = typeof err.code === "string" ? err.code : undefined;
  const responseCode = typeof err.responseCode === "number" ? err.responseCode : undefined;
  const permanent =
    responseCode !== undefined &&
    responseCode >= 500 &&
    responseCode < 600 &&
    responseCode !== 503 &&
    !(code && configurationErrors.has(code));
  return { outcome: permanent ? "failed" : "retry", error: text };
}
