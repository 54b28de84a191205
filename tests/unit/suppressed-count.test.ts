import { expect, test } from "vitest";
import { formatSuppressedCount, SUPPRESS_BELOW, suppressCount } from "~/utils/suppressed-count";

test("counts below the threshold are hidden as a structure, never as a phrase to compare", () => {
  expect(SUPPRESS_BELOW).toBe(5);
  expect(suppressCount(0)).toEqual({ exact: false, below: 5 });
  expect(suppressCount(4)).toEqual({ exact: false, below: 5 });
  expect(suppressCount(5)).toEqual({ exact: true, n: 5 });
  expect(suppressCount(12_345)).toEqual({ exact: true, n: 12_345 });
});

test("one formatter shows either kind, mid-sentence or starting one", () => {
  expect(formatSuppressedCount(suppressCount(3))).toBe("fewer than 5");
  expect(formatSuppressedCount(suppressCount(3), { sentenceStart: true })).toBe("Fewer than 5");
  expect(formatSuppressedCount(suppressCount(5), { sentenceStart: true })).toBe("5");
  expect(formatSuppressedCount(suppressCount(12_345))).toBe("12,345");
});
