import { expect, test } from "vitest";
import { checkFormStamp, issueFormStamp } from "~/utils/form-stamp.server";
import { signValue } from "~/utils/signed-value.server";
import { DAY } from "../time";

const secret = "a-test-secret-of-enough-length-for-hmac";
const t0 = new Date("2024-06-20T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

test("a stamp is good from 3 s after it was issued until a day has passed, and is handed back unchanged", () => {
  const stamp = issueFormStamp({ secret, now: t0 });
  expect(checkFormStamp({ stamp, secret, now: at(2_999) })).toEqual({ verdict: "too-young", stamp });
  expect(checkFormStamp({ stamp, secret, now: at(3_000) })).toEqual({ verdict: "ok", stamp });
  expect(checkFormStamp({ stamp, secret, now: at(DAY) })).toEqual({ verdict: "ok", stamp });
});

test("a missing, forged, backdated or too old stamp is replaced by a fresh one, good 3 s later", () => {
  const now = at(10 * DAY);
  const forgeries = [
    "",
    "0",
    "-1e30",
    String(t0.getTime() - 60_000),
    `${t0.getTime() - 60_000}.not-the-signature`,
    signValue({ value: String(t0.getTime()), secret: "another secret" }),
    signValue({ value: "-1e30", secret }),
    signValue({ value: "not a time", secret }),
  ];
  for (const stamp of forgeries) {
    const checked = checkFormStamp({ stamp, secret, now });
    expect(checked.verdict).toBe("invalid");
    expect(checkFormStamp({ stamp: checked.stamp, secret, now: new Date(now.getTime() + 3_000) }).verdict).toBe("ok");
  }
  const old = checkFormStamp({ stamp: issueFormStamp({ secret, now: t0 }), secret, now });
  expect(old.verdict).toBe("too-old");
  expect(checkFormStamp({ stamp: old.stamp, secret, now: new Date(now.getTime() + 3_000) }).verdict).toBe("ok");
});
