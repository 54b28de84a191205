// The words of every mail in the supporter journey. Pure functions: the
// models decide when to send, these decide what it says.
import { footer, type Mail } from "./mail";

type Campaign = { name: string; points: { title: string; body: string }[] };
type Wording = { opening: string; closing: string };

export function candidateAskMail({
  campaign,
  wording,
  candidateName,
  constituencyName,
  supporterName,
  postcode,
  personalMessage,
  pledgeUrl,
  publicUrl,
}: {
  campaign: Campaign;
  wording: Wording;
  candidateName: string;
  constituencyName: string;
  supporterName: string;
  postcode: string;
  personalMessage: string | null;
  pledgeUrl: string;
  publicUrl: string;
}): Mail {
  const points = campaign.points.map((p, i) => `${i + 1}. ${p.title}\n   ${p.body}`).join("\n\n");
  return {
    subject: `Will you sign the ${campaign.name} pledge? A constituent in ${constituencyName} asks`,
    textBody: [
      `Dear ${candidateName},`,
      wording.opening,
      `I am asking you to pledge to:\n\n${points}`,
      ...(personalMessage ? [personalMessage] : []),
      wording.closing,
      `${supporterName}\n${postcode}, ${constituencyName}`,
      `You can sign the pledge, or tell voters which points you will not sign, here:\n${pledgeUrl}`,
      `${supporterName} asked ${campaign.name} to send this message and confirmed it from their own email address. Reply to this email to reach them directly.`,
      footer(campaign, publicUrl),
    ].join("\n\n"),
  };
}

/**
 * One supporter's line in a digest. Erasure finds a supporter's line by it
 * (app/models/erasure.server.ts), so a digest already sent keeps nothing of them.
 */
export function digestSupporterLine(supporter: { name: string; personalMessage: string | null }) {
  return supporter.personalMessage
    ? `- ${supporter.name}: "${supporter.personalMessage.replace(/\s+/g, " ")}"`
    : `- ${supporter.name}`;
}

/** What an erased supporter's line in a digest becomes. */
export const erasedDigestLine = "- (a constituent whose details have since been erased)";

export function candidateDigestMail({
  campaign,
  candidateName,
  constituencyName,
  supporters,
  pledgeUrl,
  publicUrl,
}: {
  campaign: Campaign;
  candidateName: string;
  constituencyName: string;
  supporters: { name: string; personalMessage: string | null }[];
  pledgeUrl: string;
  publicUrl: string;
}): Mail {
  const n = supporters.length;
  const people = n === 1 ? "constituent" : "constituents";
  const list = supporters.map(digestSupporterLine).join("\n");
  const points = campaign.points.map((p, i) => `${i + 1}. ${p.title}`).join("\n");
  return {
    subject: `${n} ${people} in ${constituencyName} asked you to sign the ${campaign.name} pledge`,
    textBody: [
      `Dear ${candidateName},`,
      `${n} ${people} in ${constituencyName} asked you today to sign the ${campaign.name} pledge. To spare your inbox we have gathered their messages into this one email.`,
      `The pledge:\n\n${points}`,
      `Who asked:\n\n${list}`,
      `You can sign the pledge, or tell voters which points you will not sign, here:\n${pledgeUrl}`,
      footer(campaign, publicUrl),
    ].join("\n\n"),
  };
}

export function confirmAskMail({
  campaign,
  supporterName,
  constituencyName,
  candidateNames,
  confirmUrl,
  expiresOn,
  publicUrl,
  manageUrl,
  reminder,
}: {
  campaign: Campaign;
  supporterName: string;
  constituencyName: string;
  candidateNames: string[];
  confirmUrl: string;
  expiresOn: string;
  publicUrl: string;
  /** The supporter's own "manage my data" link. */
  manageUrl: string;
  reminder: boolean;
}): Mail {
  return {
    subject: `${reminder ? "Reminder: confirm" : "Confirm"} your message to candidates in ${constituencyName}`,
    textBody: [
      `Hello ${supporterName},`,
      `${reminder ? "You have not yet confirmed" : "Thank you for asking"} your candidates in ${constituencyName} to sign the ${campaign.name} pledge. Your message will go to:\n\n${candidateNames.map((n) => `- ${n}`).join("\n")}`,
      `Nothing has been sent yet. To send it, open this link and press the button on the page:\n${confirmUrl}`,
      reminder
        ? `This link replaces the one in our earlier email. It works once, until ${expiresOn}.`
        : `The link works once, until ${expiresOn}.`,
      `If this was not you, ignore this email: nothing will be sent, and we will delete these details by ${expiresOn}.`,
      footer(campaign, publicUrl, manageUrl),
    ].join("\n\n"),
  };
}

export function alreadyAskedMail({
  campaign,
  supporterName,
  askedOn,
  confirmed,
  expiresOn,
  publicUrl,
  manageUrl,
}: {
  campaign: Campaign;
  supporterName: string;
  askedOn: string;
  confirmed: boolean;
  expiresOn: string | null;
  publicUrl: string;
  /** The supporter's own "manage my data" link. */
  manageUrl: string;
}): Mail {
  return {
    subject: `You have already asked your candidates`,
    textBody: [
      `Hello ${supporterName},`,
      `Someone, probably you, tried to ask candidates to sign the ${campaign.name} pledge again using this email address. We send one ask per person, so we have not sent another.`,
      confirmed
        ? `Your ask was confirmed and sent on ${askedOn}. Thank you.`
        : `You started an ask on ${askedOn} that is waiting for you to confirm it. Look for our email from that day${expiresOn ? `; its link works until ${expiresOn}` : ""}.`,
      `If this was not you, you do not need to do anything.`,
      footer(campaign, publicUrl, manageUrl),
    ].join("\n\n"),
  };
}

/**
 * To a supporter whose ask staff decided not to send. Neutral on purpose: it
 * says what happened and what to do, never why (a rule's details would teach
 * someone abusing the form how to get past it).
 */
export function askNotSentMail({
  campaign,
  supporterName,
  constituencyName,
  publicUrl,
  manageUrl,
}: {
  campaign: Campaign;
  supporterName: string;
  constituencyName: string;
  publicUrl: string;
  /** The supporter's own "manage my data" link. */
  manageUrl: string;
}): Mail {
  return {
    subject: `Your message to candidates in ${constituencyName} was not sent`,
    textBody: [
      `Hello ${supporterName},`,
      `Thank you for confirming your message to candidates in ${constituencyName}. We check messages before they go to candidates, and we have not sent this one.`,
      `Nothing about it will appear on our public pages.`,
      `If you think this is a mistake, reply to this email and a member of the ${campaign.name} team will look at it.`,
      footer(campaign, publicUrl, manageUrl),
    ].join("\n\n"),
  };
}
