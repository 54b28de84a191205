import { signValue, verifySignedValue } from "~/utils/signed-value.server";

// A person takes longer than this to fill and send a form; bots that post at
// once do not. Only the final send is ever held back for it.
export const MIN_FILL_MS = 3_000;
// A stamp older than this is replaced, not honoured, so one copied stamp
// cannot be replayed for ever; the person is asked to press send again.
export const MAX_STAMP_AGE_MS = 24 * 60 * 60 * 1000;

/** When a form was first shown, signed by the server so a client cannot backdate it. */
export function issueFormStamp({ secret, now }: { secret: string; now: Date }) {
  return signValue({ value: String(now.getTime()), secret });
}

export type FormStampVerdict = "ok" | "too-young" | "too-old" | "invalid";

/**
 * Whether a stamp the form carried back shows a person's pace, and the stamp
 * to hand back with the next step: the same one while it is good (the clock
 * keeps running from the first page), a fresh one when it was missing, forged
 * or too old, so a person who simply tries again gets through.
 */
export function checkFormStamp({ stamp, secret, now }: { stamp: string; secret: string; now: Date }): {
  verdict: FormStampVerdict;
  stamp: string;
} {
  const value = stamp ? verifySignedValue({ signed: stamp, secret }) : null;
  const issuedAt = value !== null && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(issuedAt)) return { verdict: "invalid", stamp: issueFormStamp({ secret, now }) };
  const age = now.getTime() - issuedAt;
  if (age > MAX_STAMP_AGE_MS) return { verdict: "too-old", stamp: issueFormStamp({ secret, now }) };
  // A stamp from the future (another process's clock a little ahead) is young, not forged.
  if (age < MIN_FILL_MS) return { verdict: "too-young", stamp };
  return { verdict: "ok", stamp };
}
