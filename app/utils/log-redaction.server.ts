import { format } from "node:util";

// An ask reveals political opinion, and the links in its mails are live
// tokens: no token, email address or postcode may reach a log line, whoever
// writes it (our code, Remix's error logging, Express's error handler, React).

const replacements: [RegExp, string][] = [
  // Token-bearing paths, whatever follows them.
  [
    /((?:\/|%2F)(?:asks(?:\/|%2F)confirm|pledge(?:\/|%2F)sign|your-data)(?:\/|%2F))(?:(?!%2F)[^\s"'`?#&/<>()[\]])+/gi,
    "$1[token]",
  ],
  // Query values that name a person or a place.
  [/([?&;](?:email|postcode|token|name)=)[^&\s"'#]*/gi, "$1[redacted]"],
  // Tokens are 32 random bytes in base64url, wherever they turn up.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, "[token]"],
  [/[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, "[email]"],
  // UK postcodes, with any spacing or URL encoding between the halves.
  [/\b[A-Z]{1,2}\d[A-Z\d]?(?:\s*|%20|\+)\d[A-Z]{2}\b/gi, "[postcode]"],
];

export function redactLogText(text: string) {
  let redacted = text;
  for (const [pattern, replacement] of replacements) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

const methods = ["log", "info", "warn", "error", "debug"] as const;

/** Routes every console line the server process writes through redactLogText. */
export function redactConsole() {
  for (const method of methods) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => original(redactLogText(format(...args)));
  }
}
