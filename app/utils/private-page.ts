// The headers and meta of pages that are for one person only: a page whose URL
// holds a live token (a confirmation or signing link) and the local mailbox,
// which shows such links. Never cached, never passed on in a Referer, never
// indexed.

/**
 * A page whose URL holds a live token. strict-origin, not no-referrer: a
 * referrer is only ever our origin, and the page's POST carries a real Origin
 * (no-referrer makes it "null", which a server cannot tell from a sandboxed
 * page on another site).
 */
export const tokenPageHeaders = { "Cache-Control": "no-store", "Referrer-Policy": "strict-origin" } as const;

/** The local mailbox: it posts nothing, so it sends no referrer at all. */
export const mailboxPageHeaders = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } as const;

/** The meta tag every private page (and every step of a form) carries. */
export const noIndex = { name: "robots", content: "noindex" } as const;

/** Every staff console page and response: never stored by a browser or proxy, never indexed. */
export const staffPageHeaders = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Robots-Tag": "noindex",
} as const;
