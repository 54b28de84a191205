import { expect, test } from "vitest";
import {
  candidatesWhoSignedLabel,
  pointAnswerLabel,
  pledgeStatuses,
  pledgeStatusLabels,
  pledgeStatusOf,
  signedEveryPoint,
} from "~/utils/pledge";

test("signed every point means every point of a campaign that has some", () => {
  expect(signedEveryPoint({ signed: 4, pointCount: 4 })).toBe(true);
  expect(signedEveryPoint({ signed: 3, pointCount: 4 })).toBe(false);
  // A campaign with no points has nothing to sign: no one has signed it all.
  expect(signedEveryPoint({ signed: 0, pointCount: 0 })).toBe(false);
  expect(pledgeStatusOf({ standing: true, signed: 0, declined: 0, pointCount: 0 })).toBe("no-answer");
});

test("the status follows the same rule, and a withdrawn candidacy is withdrawn whatever it signed", () => {
  expect(pledgeStatusOf({ standing: true, signed: 4, declined: 0, pointCount: 4 })).toBe("signed-all");
  expect(pledgeStatusOf({ standing: true, signed: 1, declined: 3, pointCount: 4 })).toBe("signed-some");
  expect(pledgeStatusOf({ standing: false, signed: 4, declined: 0, pointCount: 4 })).toBe("withdrawn");
});

test("one wording per status: 'signed' alone is every point; partial signers signed some points", () => {
  expect(pledgeStatuses.map((s) => pledgeStatusLabels[s])).toEqual([
    "Signed every point",
    "Signed some points",
    "Declined",
    "No answer yet",
    "Withdrawn",
  ]);
  expect(candidatesWhoSignedLabel()).toBe("Candidates who signed every point");
  expect(candidatesWhoSignedLabel("Fen Party")).toBe("Fen Party candidates who signed every point");
});

test("one point's answer has the same words everywhere: signed, declined, or not answered yet", () => {
  expect(pointAnswerLabel("signed")).toBe("Signed");
  expect(pointAnswerLabel("declined")).toBe("Declined");
  expect(pointAnswerLabel(null)).toBe("Not answered yet");
  expect(pointAnswerLabel(undefined)).toBe("Not answered yet");
});
