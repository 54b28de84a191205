import type { HoldReason } from "#db/enums";

// Why an ask was held, as staff read it in the review queue.
export const holdReasonLabels: Record<HoldReason, string> = {
  "address-volume": "Many asks from one client address in an hour",
  "network-volume": "Many asks from one network in an hour",
  "disposable-domain": "A disposable email address",
  "repeated-message": "The same personal message as many other asks",
  "link-in-message": "A link in the personal message",
  "blocked-email": "The email address is on the block list",
  "blocked-domain": "The email domain is on the block list",
  "blocked-address": "The client address is on the block list",
  "blocked-network": "The client network is on the block list",
};
