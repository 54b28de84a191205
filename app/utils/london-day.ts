// Calendar days as the campaign's staff live them: Europe/London, so a day
// runs from midnight GMT in winter and midnight BST (23:00 UTC the day
// before) in summer. Timestamps are stored in UTC; these turn a day typed
// into a filter, or the day a file is made, into and out of UTC.

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function partsOf(at: Date) {
  const parts = Object.fromEntries(londonParts.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The London calendar day of an instant, as "YYYY-MM-DD". */
export function londonDay(at: Date): string {
  return partsOf(at).day;
}

/**
 * The instant a London calendar day ("YYYY-MM-DD") begins. The clocks change
 * at 01:00 UTC, never at midnight, so London's offset at 00:00 UTC on the day
 * is its offset at the day's own midnight.
 */
export function startOfLondonDay(day: string): Date {
  const utcMidnight = utcMidnightOf(day);
  // London is UTC or an hour ahead, so at 00:00 UTC its clock reads 00:00 or
  // 01:00 of the same day: that reading is the offset.
  return new Date(utcMidnight.getTime() - partsOf(utcMidnight).minutes * 60_000);
}

/** The day `days` after (or before) a "YYYY-MM-DD" day, by the calendar alone. */
export function addDays(day: string, days: number): string {
  const date = utcMidnightOf(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const dayInWordsFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** A "YYYY-MM-DD" day as GOV.UK writes dates in text: "4 July 2024". */
export function dayInWords(day: string): string {
  return dayInWordsFormat.format(utcMidnightOf(day));
}

// Date would read "20 June" or "2024-02-30" as some day or other; a day
// that does not come back as typed is refused.
function utcMidnightOf(day: string) {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
    throw new RangeError(`Not a day: ${day}`);
  return date;
}
