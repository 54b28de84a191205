import { describe, expect, test } from "vitest";
import { ASK_LIFETIME_MS, SIGNING_LINK_LIFETIME_MS } from "~/utils/lifetimes";
import { DAY, HOUR, MINUTE, describeDuration } from "~/utils/time";

describe("describeDuration", () => {
  test("says whole days, hours or minutes as people do", () => {
    expect(describeDuration(7 * DAY)).toBe("7 days");
    expect(describeDuration(DAY)).toBe("1 day");
    expect(describeDuration(36 * HOUR)).toBe("36 hours");
    expect(describeDuration(HOUR)).toBe("1 hour");
    expect(describeDuration(90 * MINUTE)).toBe("90 minutes");
  });

  test("the pages' lifetimes are the ones the models enforce", () => {
    expect(describeDuration(ASK_LIFETIME_MS)).toBe("7 days");
    expect(describeDuration(SIGNING_LINK_LIFETIME_MS)).toBe("30 days");
  });
});
