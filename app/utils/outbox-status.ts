import type { OutboxStatus } from "#db/enums";

// What each outbox state is called on a page. A Record, so a new state is a
// type error until it has words (the mailbox page once listed states by hand
// and missed two).
export const outboxStatusLabels: Record<OutboxStatus, string> = {
  held: "Held for review",
  queued: "Waiting to be sent",
  sending: "Being sent now",
  sent: "Sent",
  failed: "Failed",
  cancelled: "Cancelled",
};

// The colour of each state's tag on staff pages: red needs someone, yellow is
// waiting, green is done, grey will not go.
export const outboxStatusTagClasses: Record<OutboxStatus, string> = {
  held: "tag tag--yellow",
  queued: "tag",
  sending: "tag",
  sent: "tag tag--green",
  failed: "tag tag--red",
  cancelled: "tag tag--grey",
};
