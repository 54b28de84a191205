import { shortDate } from "~/utils/names";

const sources = { "dc-candidates": "Democracy Club", "oi-candidates": "Open Innovations" } as const;

/** "Candidate data from Democracy Club, last updated 3 Jun 2024": from the import history, so readers know its age. */
export function CandidateDataNote({ source }: { source: { kind: keyof typeof sources; finishedAt: string } | null }) {
  if (!source) return null;
  return (
    <p className="hint">
      Candidate data from {sources[source.kind]}, last updated {shortDate(source.finishedAt)}.
    </p>
  );
}
