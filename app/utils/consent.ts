// What a supporter agrees to by ticking "Campaign updates" on the ask form.
// The form shows this wording and the supporter export records it beside each
// person, so what we can show they agreed to is always what they were shown.
// Client-safe (no server imports): the form renders it in the browser.
//
// Asks do not record a version of their own: every ask so far was made under
// this one. Changing the wording therefore needs a new version and a column
// on asks saying which version each agreed to, before the text here changes.
export const updatesConsent = {
  version: "updates-v1",
  wording: "Email me campaign updates, including when my candidates sign",
} as const;
