// Every mail the app writes ends with the shared footer, and the footer links
// to the privacy notice at the path the site serves it on; a supporter's mail
// also links to their own "manage my data" page, a candidate's never does.
import { expect, test } from "vitest";
import { supporterMailKinds, type MailKind } from "#db/enums";
import {
  alreadyAskedMail,
  askNotSentMail,
  candidateAskMail,
  candidateDigestMail,
  confirmAskMail,
} from "~/mail-wording/ask-mails";
import type { Mail } from "~/mail-wording/mail";
import { candidateSignedNoticeMail, pledgeRecordedMail, signingLinkMail } from "~/mail-wording/pledge-mails";
import { paths } from "~/utils/paths";

const publicUrl = "https://pledge.example.org";
const campaign = {
  name: "Quiet Streets Pledge",
  fromEmail: "streets@example.org",
  points: [{ title: "Slow the traffic.", body: "20 mph near schools." }],
};
const manageUrl = `${publicUrl}/your-data/${"m".repeat(43)}`;
const supporter = { campaign, supporterName: "Rajan Nair", constituencyName: "Brackenby Vale", publicUrl, manageUrl };
const confirm = { ...supporter, candidateNames: ["Ruth Adeyemi"], confirmUrl: `${publicUrl}/x`, expiresOn: "9 Jul" };
const candidate = { campaign, candidateName: "Ruth Adeyemi", constituencyName: "Brackenby Vale", publicUrl };

// Keyed by the outbox's mail kinds, so a new kind fails to compile here until it is listed.
const mails: Record<MailKind, Mail> = {
  // To supporters.
  "ask-confirmation": confirmAskMail({ ...confirm, reminder: false }),
  "ask-reminder": confirmAskMail({ ...confirm, reminder: true }),
  "ask-already": alreadyAskedMail({ ...supporter, askedOn: "2 Jul", confirmed: true, expiresOn: null }),
  "ask-not-sent": askNotSentMail(supporter),
  "candidate-signed": candidateSignedNoticeMail({
    ...supporter,
    candidateName: "Ruth Adeyemi",
    signedCount: 1,
    signedEveryPoint: true,
    pointCount: 1,
    candidatePageUrl: `${publicUrl}/candidates/1`,
  }),
  // To candidates: the same footer, so they can see what we do with their data too.
  "candidate-ask": candidateAskMail({
    ...candidate,
    wording: { opening: "Please sign.", closing: "Thank you." },
    supporterName: "Rajan Nair",
    postcode: "ZZ4 1AA",
    personalMessage: null,
    pledgeUrl: `${publicUrl}/pledge/sign/x`,
  }),
  "candidate-digest": candidateDigestMail({
    ...candidate,
    supporters: [{ name: "Rajan Nair", personalMessage: null }],
    pledgeUrl: `${publicUrl}/pledge/sign/x`,
  }),
  "signing-link": signingLinkMail({ ...candidate, signingUrl: `${publicUrl}/pledge/sign/x`, expiresOn: "9 Jul" }),
  "pledge-recorded": pledgeRecordedMail({
    ...candidate,
    points: [{ title: "Slow the traffic.", answerLabel: "Signed" }],
    signedEveryPoint: true,
    statement: null,
    candidatePageUrl: `${publicUrl}/candidates/1`,
  }),
};

test.each(Object.entries(mails))("the %s mail links to the privacy notice in its footer", (_kind, mail) => {
  expect(mail.textBody.split("\n")).toContain(`How we use your data: ${publicUrl}${paths.privacy}`);
});

const manageLine = `Stop updates, leave the public list or delete your data: ${manageUrl}`;

test.each(Object.entries(mails))(
  "the %s mail links to the manage page only if it goes to a supporter",
  (kind, mail) => {
    const toSupporter = (supporterMailKinds as readonly string[]).includes(kind);
    const lines = mail.textBody.split("\n");
    if (toSupporter) expect(lines.at(-1)).toBe(manageLine);
    else expect(mail.textBody).not.toContain("/your-data/");
  },
);

test("the supporter mail kinds are the five mails whose recipient is a supporter", () => {
  expect([...supporterMailKinds].sort()).toEqual(
    ["ask-already", "ask-confirmation", "ask-not-sent", "ask-reminder", "candidate-signed"].sort(),
  );
});
