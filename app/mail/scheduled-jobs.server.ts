// Work the mail worker runs on every tick, before it sends the outbox (so
// mail these jobs queue goes out in the same tick): reminders, digests,
// deleting expired asks, forgetting client-address data and old local mail
// after the campaign's retention periods. Each gets the tick's time and must be synchronous;
// one that throws is logged and the others still run.
import { deleteExpiredAsks } from "~/models/ask.server";
import { queueDueDigests } from "~/models/digest.server";
import { sendDueReminders } from "~/models/reminder.server";
import { deleteOldMailboxMessages } from "~/models/mailbox.server";
import { savedRetention } from "~/models/privacy.server";
import { deleteOldRateLimits } from "~/models/rate-limit.server";
import { clearOldClientHashes } from "~/models/review.server";
import { deleteIdleStaffSessions } from "~/models/staff.server";
import { DAY, HOUR } from "~/utils/time";
import type { ScheduledJob } from "./worker.server";

export const scheduledJobs: ScheduledJob[] = [
  (now) => sendDueReminders({ now }),
  (now) => queueDueDigests({ now }),
  (now) => deleteExpiredAsks({ now }),
  // The retention periods are read on every tick, so a saved change applies
  // at once. Client-address data is never kept for less than the longest
  // rate-limit window (app/utils/retention.ts), so no open window is forgotten.
  (now) => clearOldClientHashes({ now, hours: savedRetention().clientDataHours }),
  (now) => deleteOldRateLimits({ before: new Date(now.getTime() - savedRetention().clientDataHours * HOUR) }),
  (now) => deleteOldMailboxMessages({ before: new Date(now.getTime() - savedRetention().mailboxDays * DAY) }),
  (now) => deleteIdleStaffSessions({ now }),
];
