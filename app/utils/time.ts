// Durations in milliseconds, for lifetimes, windows and limits.
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A lifetime as people say it: "7 days", "24 hours", "1 hour". */
export function describeDuration(ms: number) {
  if (ms % DAY === 0) return plural(ms / DAY, "day");
  if (ms % HOUR === 0) return plural(ms / HOUR, "hour");
  return plural(Math.round(ms / MINUTE), "minute");
}

function plural(n: number, unit: string) {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

/** "2 Dec 2026, 14:07", in UK time: when something happened, for staff pages. */
export function ukDateTime(iso: string) {
  return dateTimeFormat.format(new Date(iso));
}
