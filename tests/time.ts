// Spans for moving a test's clock; never for asserting how long something took.
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
