// Staff passwords, as NCSC and NIST SP 800-63B advise: long, not on a list of
// passwords everyone tries first, and no composition rules (they make
// passwords harder to remember, not to guess). Client-safe: the set-up page's
// hint says the length, and password.server.ts checks it.
export const passwordPolicy = { minLength: 12, maxLength: 256 } as const;
