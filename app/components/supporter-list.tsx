import { Link } from "@remix-run/react";
import { paths } from "~/utils/paths";

/** "Rajan N · 13 Jul 2024": the only way supporters appear in public. */
export function SupporterList({
  supporters,
  showConstituency,
}: {
  supporters: { name: string; confirmedOn: string; constituencyName: string; constituencySlug: string }[];
  showConstituency: boolean;
}) {
  return (
    <ul className="supporters">
      {supporters.map((s, i) => (
        <li key={i}>
          {s.name} · {s.confirmedOn}
          {showConstituency ? (
            <>
              {" "}
              · <Link to={paths.constituency(s.constituencySlug)}>{s.constituencyName}</Link>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
