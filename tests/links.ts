// The tokens in mailed links: 32 random bytes, base64url, so 43 characters.
const token = "[A-Za-z0-9_-]{43}";

export type LinkPath = "asks/confirm" | "pledge/sign" | "your-data";

/** The whole link (scheme, host, path and token) to `path` in a mail's text, or a failure that shows the text. */
export function linkIn(text: string, path: LinkPath): string {
  const match = new RegExp(`https?://[^\\s"<]+/${path}/${token}`).exec(text);
  if (!match) throw new Error(`No /${path}/ link in:\n${text}`);
  return match[0];
}

/** Just the token of the link to `path` in a mail's text. */
export function tokenIn(text: string, path: LinkPath): string {
  const match = new RegExp(`/${path}/(${token})`).exec(text);
  if (!match?.[1]) throw new Error(`No /${path}/ link in:\n${text}`);
  return match[1];
}

/** Matches any link to `path` with a token, for checking that none is stored or logged. */
export function anyLinkTo(path: LinkPath): RegExp {
  return new RegExp(`/${path}/${token}`);
}
