// Work the mail worker runs on every tick, before it sends the outbox (so
// mail these jobs queue goes out in the same tick): reminders, digests,
// deleting unconfirmed asks, old uploads and supporters' expired links, and,
// after the campaign's retention periods, anonymising asks and forgetting
// client-address data and old local mail. Each gets the tick's time and must
// be synchronous; one that throws is logged and the others still run.
import { pruneUploads } from "~/importers/upload.server";
import { deleteExpiredAsks } from "~/models/ask.server";
import { deleteOldClientHashKeys } from "~/models/client-hash.server";
import { deleteDecidedCorrectionReports } from "~/models/correction-report.server";
import { eraseExpiredAsks } from "~/models/erasure.server";
import { queueDueDigests } from "~/models/digest.server";
import { sendDueReminders } from "~/models/reminder.server";
import { deleteOldMailboxMessages } from "~/models/mailbox.server";
import { savedRetention } from "~/models/privacy.server";
import { deleteOldRateLimits } from "~/models/rate-limit.server";
import { clearOldClientHashes } from "~/models/review.server";
import { deleteIdleStaffSessions } from "~/models/staff.server";
import { deleteExpiredSupporterLinks } from "~/models/supporter-link.server";
import { DAY, HOUR } from "~/utils/time";
import type { ScheduledJob } from "./worker.server";

export const scheduledJobs: ScheduledJob[] = [
  async (now) => sendDueReminders({ now }),
  async (now) => queueDueDigests({ now }),
  async (now) => deleteExpiredAsks({ now }),
  // The retention periods are read on every tick, so a saved change applies
  // at once. Client-address data is never kept for less than the longest
  // rate-limit window (app/utils/retention.ts), so no open window is forgotten.
  async (now) => eraseExpiredAsks({ now, askDaysAfterPollingDay: (await savedRetention()).askDaysAfterPollingDay }),
  async (now) => clearOldClientHashes({ now, hours: (await savedRetention()).clientDataHours }),
  async (now) =>
    deleteOldRateLimits({ before: new Date(now.getTime() - (await savedRetention()).clientDataHours * HOUR) }),
  async (now) =>
    deleteOldMailboxMessages({ before: new Date(now.getTime() - (await savedRetention()).mailboxDays * DAY) }),
  async (now) => deleteIdleStaffSessions({ now }),
  async (now) => deleteExpiredSupporterLinks({ now }),
  async (now) => deleteOldClientHashKeys({ now }),
  async (now) => deleteDecidedCorrectionReports({ now }),
  // Uploads a dry run kept for its second press, once nobody pressed it in time.
  async (now) => pruneUploads({ now }),
];
