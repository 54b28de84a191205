import type { MailKind } from "#db/enums";

// What each kind of mail is called in the staff console. A Record, so a new
// kind is a type error until it has words.
export const mailKindLabels: Record<MailKind, string> = {
  "ask-confirmation": "Supporter: confirm your ask",
  "ask-already": "Supporter: already asked",
  "ask-reminder": "Supporter: reminder to confirm",
  "candidate-ask": "Candidate: a supporter's ask",
  "candidate-digest": "Candidate: daily digest of asks",
  "signing-link": "Candidate: signing link",
  "pledge-recorded": "Candidate: pledge recorded",
  "candidate-signed": "Supporter: your candidate signed",
  "ask-not-sent": "Supporter: ask not sent",
};
