// The one rule for a link we store and later show as <a href>: only http and
// https. Anything else (javascript:, data:, vbscript:, file:) could run script
// or open something other than a web page when a reader follows it.

export const webAddressRule = "must be a web address starting http:// or https://";

/** True for an absolute http(s) URL. */
export function isWebAddress(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
