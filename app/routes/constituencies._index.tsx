import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { nations } from "#db/enums";
import { listConstituenciesByNation } from "~/models/constituency.server";
import { publicPageHeaders } from "~/utils/http-cache";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Constituencies" }];

export async function loader() {
  const rows = await listConstituenciesByNation();
  // Nation, then region (England has nine; elsewhere the region is the nation).
  const grouped = nations
    .map((nation) => {
      const inNation = rows.filter((r) => r.nation === nation);
      const regions = [...new Set(inNation.map((r) => r.regionName ?? "Region not known"))].sort();
      return {
        nation,
        count: inNation.length,
        regions: regions.map((region) => ({
          region,
          constituencies: inNation.filter((r) => (r.regionName ?? "Region not known") === region),
        })),
      };
    })
    .filter((n) => n.count > 0);
  return { total: rows.length, nations: grouped };
}

export default function Constituencies() {
  const { total, nations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Constituencies</h1>
      <p className="body-l">{total.toLocaleString("en-GB")} constituencies, by nation and region.</p>
      {nations.length > 1 ? (
        <nav aria-label="Nations" className="contents-list">
          <ul>
            {nations.map((n) => (
              <li key={n.nation}>
                <a href={`#${anchor(n.nation)}`}>
                  {n.nation} ({n.count})
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {nations.map((n) => (
        <section key={n.nation} aria-labelledby={anchor(n.nation)}>
          <h2 className="heading-l" id={anchor(n.nation)}>
            {n.nation}
          </h2>
          {n.regions.map((r) => (
            <div key={r.region}>
              {r.region !== n.nation ? <h3 className="heading-m">{r.region}</h3> : null}
              <ul className="list columns">
                {r.constituencies.map((c) => (
                  <li key={c.gssCode}>
                    <Link to={paths.constituency(c.slug)}>{c.name}</Link>{" "}
                    <span className="hint">
                      ({c.candidates} candidate{c.candidates === 1 ? "" : "s"})
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </>
  );
}

function anchor(text: string) {
  return text.toLowerCase().replace(/[^a-z]+/g, "-");
}
