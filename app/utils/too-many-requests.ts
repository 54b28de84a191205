/**
 * Over a limit (enforceRateLimits in models/rate-limit.server.ts): carries
 * when the caller may try again, so every 429 can say so in its Retry-After
 * header instead of guessing.
 */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Rate limited: retry after ${retryAfterSeconds} s`);
  }
}

/**
 * The 429 every rate limit answers with: the same generic page whichever
 * limit was hit, and a Retry-After saying when the window reopens (RFC 9110
 * §10.2.3), never cached.
 */
export function tooManyRequests({ retryAfterSeconds }: { retryAfterSeconds: number }) {
  return Response.json(
    { retryAfterSeconds },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

/** For an action's catch: a rate limit becomes the 429 page; anything else is thrown on as it was. */
export function rethrowAsTooManyRequests(error: unknown): never {
  if (error instanceof RateLimited) throw tooManyRequests(error);
  throw error;
}

/**
 * For a route's headers(): Remix drops a thrown response's own headers from
 * the page unless the route passes them on, so a 429 would lose its Retry-After.
 */
export function retryAfterHeaders(errorHeaders: Headers | undefined): Record<string, string> {
  const retryAfter = errorHeaders?.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter, "Cache-Control": "no-store" } : {};
}

/** "1 minute", "42 minutes", "2 hours": how long to wait, rounded up, as the 429 page says it. */
export function waitInWords(seconds: number): string {
  if (seconds <= 90 * 60) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  const hours = Math.ceil(seconds / 3600);
  return hours === 1 ? "1 hour" : `${hours} hours`;
}
