// Work the mail worker runs on every tick, before it sends the outbox (so
// mail these jobs queue goes out in the same tick): reminders, digests,
// deleting expired asks and old uploads. Each gets the tick's time and must be synchronous;
// one that throws is logged and the others still run.
import { pruneUploads } from "~/importers/upload.server";
import { deleteExpiredAsks } from "~/models/ask.server";
import { deleteOldClientHashKeys } from "~/models/client-hash.server";
import { deleteDecidedCorrectionReports } from "~/models/correction-report.server";
import { queueDueDigests } from "~/models/digest.server";
import { sendDueReminders } from "~/models/reminder.server";
import { deleteOldRateLimits } from "~/models/rate-limit.server";
import { deleteIdleStaffSessions } from "~/models/staff.server";
import type { ScheduledJob } from "./worker.server";

const DAY = 24 * 60 * 60 * 1000;

export const scheduledJobs: ScheduledJob[] = [
  (now) => sendDueReminders({ now }),
  (now) => queueDueDigests({ now }),
  (now) => deleteExpiredAsks({ now }),
  // Rate-limit windows are at most a day long.
  (now) => deleteOldRateLimits({ before: new Date(now.getTime() - 2 * DAY) }),
  (now) => deleteIdleStaffSessions({ now }),
  (now) => deleteOldClientHashKeys({ now }),
  (now) => deleteDecidedCorrectionReports({ now }),
  // Uploads a dry run kept for its second press, once nobody pressed it in time.
  (now) => pruneUploads({ now }),
];
