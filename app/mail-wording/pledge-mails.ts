// The words of the mails in the candidate journey. Pure functions.
import { footer, type Mail } from "./mail";

type Campaign = { name: string; fromEmail: string };
// Each point with the words for its answer, as the pages say them (the model passes them in).
type PointAnswer = { title: string; answerLabel: string };

export function signingLinkMail({
  campaign,
  candidateName,
  constituencyName,
  signingUrl,
  expiresOn,
  publicUrl,
}: {
  campaign: Campaign;
  candidateName: string;
  constituencyName: string;
  signingUrl: string;
  expiresOn: string;
  publicUrl: string;
}): Mail {
  return {
    subject: `Your link to sign the ${campaign.name} pledge`,
    textBody: [
      `Dear ${candidateName},`,
      `Someone asked for a link to sign the ${campaign.name} pledge as the candidate for ${constituencyName}. We send these links only to the email address published for you by Democracy Club.`,
      `To sign, decline or update your answers, open this link and press the button on the page:\n${signingUrl}`,
      `The link is yours alone: please do not forward it. It works until ${expiresOn}.`,
      `If you did not ask for it, you can ignore this email.`,
      footer(campaign, publicUrl),
    ].join("\n\n"),
  };
}

function describeAnswers(points: PointAnswer[]) {
  return points.map((p, i) => `${i + 1}. ${p.title}\n   ${p.answerLabel}`).join("\n\n");
}

export function pledgeRecordedMail({
  campaign,
  candidateName,
  points,
  signedEveryPoint,
  statement,
  candidatePageUrl,
  publicUrl,
}: {
  campaign: Campaign;
  candidateName: string;
  points: PointAnswer[];
  /** As the model decides it (pledgeStatusOf's rule), so the mail and the pages agree. */
  signedEveryPoint: boolean;
  statement: string | null;
  candidatePageUrl: string;
  publicUrl: string;
}): Mail {
  return {
    subject: signedEveryPoint
      ? `You signed the ${campaign.name} pledge`
      : `Your answers to the ${campaign.name} pledge are recorded`,
    textBody: [
      `Dear ${candidateName},`,
      `Thank you. These answers are now public on your page:\n${candidatePageUrl}`,
      describeAnswers(points),
      ...(statement ? [`Your statement:\n${statement}`] : []),
      `You can change your answers at any time with a signing link; every change is shown publicly with its date.`,
      `Not you? If you did not give these answers, tell us straight away by replying to this email or writing to ${campaign.fromEmail}.`,
      footer(campaign, publicUrl),
    ].join("\n\n"),
  };
}

export function candidateSignedNoticeMail({
  campaign,
  supporterName,
  candidateName,
  constituencyName,
  signedCount,
  signedEveryPoint,
  pointCount,
  candidatePageUrl,
  publicUrl,
  manageUrl,
}: {
  campaign: Campaign;
  supporterName: string;
  candidateName: string;
  constituencyName: string;
  signedCount: number;
  /** As the model decides it (pledgeStatusOf's rule), so the mail and the pages agree. */
  signedEveryPoint: boolean;
  pointCount: number;
  candidatePageUrl: string;
  publicUrl: string;
  /** The supporter's own "manage my data" link. */
  manageUrl: string;
}): Mail {
  const what = signedEveryPoint ? "the pledge" : `${signedCount} of the ${pointCount} points of the pledge`;
  return {
    // "Signed the pledge" means every point, as on the board; a partial signer signed some points.
    subject: signedEveryPoint
      ? `${candidateName} has signed the ${campaign.name} pledge`
      : `${candidateName} has signed some points of the ${campaign.name} pledge`,
    textBody: [
      `Hello ${supporterName},`,
      `You asked ${candidateName}, a candidate in ${constituencyName}, to sign the ${campaign.name} pledge. They have signed ${what}.`,
      `See their answers:\n${candidatePageUrl}`,
      `You are getting this because you asked for campaign updates. We will not email you about this candidate again. To stop all campaign updates, use the link below.`,
      footer(campaign, publicUrl, manageUrl),
    ].join("\n\n"),
  };
}
