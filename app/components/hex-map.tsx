import { hexClassName, hexLinkLabel, mapStatuses, mapStatusLabel, type MapStatus } from "~/utils/map";
import { paths } from "~/utils/paths";

// The hex map: an SVG drawn entirely on the server from coordinates the
// loader computed (d3-hexjson runs there, never here). Every hex is a link,
// so the map works without JavaScript. The page ships no framework: a small
// script of its own (app/enhance/map-tooltip.js) shows, on hover or focus,
// who stands there and how each candidate answered, fetching that from
// `tooltips` the first time it is needed.

export type HexMapHex = {
  code: string;
  name: string;
  slug: string;
  x: number;
  y: number;
  status: MapStatus;
  matches: boolean;
};

export type HexMapLabel = { text: string; x: number; y: number; kind: "nation" | "region" };

export function HexMap({
  title,
  viewBox,
  shape,
  hexes,
  partyName,
  outlines,
  labels = [],
  context = [],
  seatCode,
  tooltips,
}: {
  title: string;
  viewBox: string;
  shape: string;
  hexes: HexMapHex[];
  /** The party the map is filtered by, if any. */
  partyName?: string;
  /** One path per English region and per nation, from which hexes touch (map.server.ts). */
  outlines?: { regions: string[]; nations: string[] };
  labels?: HexMapLabel[];
  /** Hexes outside a zoomed area but in view: drawn for the area's surroundings, not links. */
  context?: { x: number; y: number }[];
  /** The constituency someone asked for: ringed, and its link says it is the current location. */
  seatCode?: string;
  /** Where the tooltip script fetches the candidates from. */
  tooltips: string;
}) {
  const seat = seatCode ? hexes.find((h) => h.code === seatCode) : undefined;
  // Labels 16 px high when the map is at its widest (640 px), 10 px on a phone, whatever the zoom.
  const fontSize = Math.round((Number(viewBox.split(" ")[2]) / 40) * 10) / 10;
  return (
    <div className="hex-map" data-tooltips={tooltips}>
      <svg
        className="hex-map__svg"
        viewBox={viewBox}
        // A group, not an image: its hexes are links people can reach and follow.
        role="group"
        aria-labelledby="hex-map-title"
      >
        <title id="hex-map-title">{title}</title>
        <HexMapPatterns />
        {context.length > 0 ? (
          <path
            className="hex-map__context"
            d={context.map((c) => `M${c.x} ${c.y}${shape}`).join("")}
            aria-hidden="true"
          />
        ) : null}
        <g className="hex-map__hexes">
          {hexes.map((hex) => (
            <a
              key={hex.code}
              href={paths.constituency(hex.slug)}
              aria-label={hexLinkLabel({ name: hex.name, status: hex.status, matches: hex.matches, partyName })}
              aria-current={hex === seat ? "location" : undefined}
              className={hexClassName(hex.status, hex.matches)}
            >
              <path d={`M${hex.x} ${hex.y}${shape}`} />
            </a>
          ))}
        </g>
        {outlines ? (
          <g className="hex-map__outlines" aria-hidden="true">
            {outlines.regions.map((d) => (
              <path key={d} className="hex-map__region" d={d} />
            ))}
            {outlines.nations.map((d) => (
              <path key={d} className="hex-map__nation" d={d} />
            ))}
          </g>
        ) : null}
        {labels.length > 0 ? (
          // The region links beside the map name these for everyone; the labels are for the eye.
          <g className="hex-map__labels" aria-hidden="true" fontSize={fontSize}>
            {labels.map((l) => (
              <text key={l.text} x={l.x} y={l.y} className={`hex-map__label hex-map__label--${l.kind}`}>
                {l.text}
              </text>
            ))}
          </g>
        ) : null}
        {seat ? (
          <path className="hex-map__ring hex-map__ring--seat" d={`M${seat.x} ${seat.y}${shape}`} aria-hidden="true" />
        ) : null}
      </svg>
    </div>
  );
}

/** Declined is hatched as well as coloured, so it never relies on hue alone. */
function HexMapPatterns() {
  return (
    <defs>
      <pattern id="hex-map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#d55e00" />
        <rect width="2" height="6" fill="#fff" />
      </pattern>
    </defs>
  );
}

/** The key: each colour, what it means and how many constituencies have it. */
export function HexMapKey({
  counts,
  filtered,
  partyName,
}: {
  counts: Record<MapStatus | "dim", number>;
  filtered: boolean;
  partyName?: string;
}) {
  const entries: { className: string; label: string; count: number }[] = mapStatuses
    // "No candidates standing" is listed only when it happens.
    .filter((s) => s !== "none" || counts.none > 0)
    .map((s) => ({ className: hexClassName(s, true), label: mapStatusLabel(s, partyName), count: counts[s] }));
  if (filtered) entries.push({ className: "s-dim", label: "Not matching the filters", count: counts.dim });
  return (
    <div className="hex-map-key">
      <h2 className="heading-s" id="hex-map-key-title">
        Key
      </h2>
      <ul className="hex-map-key__list" aria-labelledby="hex-map-key-title">
        {entries.map((e) => (
          <li key={e.className} className="hex-map-key__item">
            <svg className="hex-map-key__swatch" viewBox="0 0 20 22" aria-hidden="true" focusable="false">
              <path className={e.className} d="M10 1l9 5v10l-9 5-9-5V6z" />
            </svg>
            <span>
              {e.label}
              <span className="hex-map-key__count">
                {e.count.toLocaleString("en-GB")} constituenc{e.count === 1 ? "y" : "ies"}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
