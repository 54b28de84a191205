import { pledgeStatusLabels, type PledgeStatus } from "~/utils/pledge";

const tagClass: Record<PledgeStatus, string> = {
  "signed-all": "tag tag--green",
  "signed-some": "tag",
  declined: "tag tag--red",
  "no-answer": "tag tag--grey",
  withdrawn: "tag tag--grey",
};

/** A candidacy's pledge status as a GOV.UK tag, the same on every page. */
export function PledgeTag({
  status,
  signed,
  pointCount,
}: {
  status: PledgeStatus;
  signed: number;
  pointCount: number;
}) {
  return (
    <strong className={tagClass[status]}>
      {status === "signed-some" ? `Signed ${signed} of ${pointCount}` : pledgeStatusLabels[status]}
    </strong>
  );
}
