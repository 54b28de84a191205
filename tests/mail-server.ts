// A real SMTP server on 127.0.0.1 for mail tests: what nodemailer sends goes
// over a socket, through smtp-server's parser, and is read back with
// mailparser, so tests check the message a mail server would really get.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  /** The SMTP envelope: MAIL FROM and every accepted RCPT TO. */
  envelope: { from: string | null; to: string[] };
  parsed: ParsedMail;
  raw: string;
};

export type SmtpReply = { code: number; message: string };

export type TestMailServer = {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Messages whose DATA arrived while `stallData` said so: read in full, never answered. */
  stalled: ReceivedMail[];
  /** Every RCPT TO the server was offered, accepted or not. */
  offeredRecipients: string[];
  close(): Promise<void>;
};

function smtpError({ code, message }: SmtpReply) {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Starts a server on a free port. `replyToRecipient` can refuse a RCPT TO
 * (e.g. 451 to defer, 550 to reject); by default every recipient is accepted.
 * While `stallData` returns true, a message is read to its end and kept in
 * `stalled` but never answered, as a hung server would: the sender waits.
 */
export async function startTestMailServer({
  replyToRecipient = () => undefined,
  stallData = () => false,
}: {
  replyToRecipient?: (address: string) => SmtpReply | undefined;
  stallData?: () => boolean;
} = {}): Promise<TestMailServer> {
  const received: ReceivedMail[] = [];
  const stalled: ReceivedMail[] = [];
  const offeredRecipients: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      offeredRecipients.push(address.address);
      const reply = replyToRecipient(address.address);
      callback(reply ? smtpError(reply) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const stall = stallData();
        // Acknowledge only once parsed, so a send that resolved is already in `received`.
        simpleParser(raw).then(
          (parsed) => {
            (stall ? stalled : received).push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              parsed,
              raw: raw.toString("utf8"),
            });
            if (!stall) callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    stalled,
    offeredRecipients,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on: connecting to it is refused. */
export async function findClosedPort() {
  const server = await startTestMailServer();
  await server.close();
  return server.port;
}

/** The campaign whose name and address outgoing mail comes from. */
export async function saveTestCampaign({
  name = "Clean Rivers Pledge",
  fromEmail = "pledge@cleanrivers.example.org",
}: { name?: string; fromEmail?: string } = {}) {
  const { saveCampaign } = await import("~/models/campaign.server");
  await saveCampaign({
    savedBy: "npm run campaign",
    now: new Date("2024-05-01T09:00:00.000Z"),
    settings: {
      name,
      slug: "clean-rivers",
      summary: "Ask your candidates to pledge to clean up our rivers.",
      electionId: "parl.2024-07-04",
      electionName: "UK Parliament general election 2024",
      electionDate: "2024-07-04",
      fromEmail,
      points: [{ title: "Stop sewage dumping", body: "End routine discharges by 2030." }],
      askHourlyCap: 20,
      wordingVariants: [],
      messagePrompts: [],
    },
  });
  return { name, fromEmail };
}
