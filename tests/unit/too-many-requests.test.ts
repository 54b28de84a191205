import { expect, test } from "vitest";
import { retryAfterHeaders, tooManyRequests, waitInWords } from "~/utils/too-many-requests";

test("a 429 carries Retry-After in seconds and the same wait in its body, and is never cached", async () => {
  const response = tooManyRequests({ retryAfterSeconds: 42 });
  expect(response.status).toBe(429);
  expect(response.headers.get("Retry-After")).toBe("42");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(await response.json()).toEqual({ retryAfterSeconds: 42 });
  expect(retryAfterHeaders(response.headers)).toEqual({ "Retry-After": "42", "Cache-Control": "no-store" });
  expect(retryAfterHeaders(undefined)).toEqual({});
});

test("the page says the wait in words, rounded up", () => {
  expect(waitInWords(1)).toBe("1 minute");
  expect(waitInWords(61)).toBe("2 minutes");
  expect(waitInWords(3_420)).toBe("57 minutes");
  expect(waitInWords(3_600)).toBe("60 minutes");
  expect(waitInWords(23 * 3_600)).toBe("23 hours");
});
