import { pointAnswerLabel, type HistoryPoint } from "~/utils/pledge";

/**
 * One pledge history entry's answers, each against the words it answered;
 * a point the campaign has removed since is listed as removed. The public
 * candidate page and the staff candidate page show history the same way.
 */
export function HistoryPoints({ points }: { points: HistoryPoint[] }) {
  return (
    <ul className="list">
      {points.map((p) => (
        <li key={p.pointId}>
          {p.number === null ? "Removed point: " : `${p.number}. `}
          {p.title}{" "}
          <span className={`tag${p.answer === "declined" ? " tag--red" : p.answer ? " tag--green" : " tag--grey"}`}>
            {pointAnswerLabel(p.answer)}
          </span>
          {p.number === null ? (
            <span className="hint"> (the campaign removed this point later)</span>
          ) : p.wordsChangedSince ? (
            <span className="hint"> (the words answered; the campaign changed them later)</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
