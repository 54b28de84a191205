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
