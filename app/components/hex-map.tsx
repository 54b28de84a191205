import { memo, useEffect, useMemo, useRef, useState, type FocusEvent } from "react";
import { hexClassName, hexLinkLabel, mapStatuses, mapStatusLabel, unpackCandidates, type MapStatus } from "~/utils/map";
import { pledgeStatusLabels } from "~/utils/pledge";
import { paths } from "~/utils/paths";

// The hex map: an SVG drawn entirely on the server from coordinates the
// loader computed (d3-hexjson runs there, never here). Every hex is a link,
// so the map works without JavaScript; with it, hovering or focusing a hex
// shows who stands there and how each candidate answered.

export type HexMapHex = {
  code: string;
  name: string;
  slug: string;
  x: number;
  y: number;
  status: MapStatus;
  matches: boolean;
  /** For the tooltip, packed by packCandidates() with party numbers into `partyNames`. */
  candidates: string;
};

type TooltipPosition = Partial<Record<"left" | "right" | "top" | "bottom", number>>;

type Active = { hex: HexMapHex; by: "pointer" | "focus"; position: TooltipPosition };

const TOOLTIP_ID = "hex-map-tooltip";

export function HexMap({
  title,
  viewBox,
  shape,
  hexes,
  partyNames,
  partyName,
}: {
  title: string;
  viewBox: string;
  shape: string;
  hexes: HexMapHex[];
  partyNames: string[];
  /** The party the map is filtered by, if any. */
  partyName?: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<Active | null>(null);
  const bySlug = useMemo(() => new Map(hexes.map((h) => [h.slug, h])), [hexes]);

  // Escape dismisses the tooltip wherever focus is (WCAG 1.4.13).
  useEffect(() => {
    if (!active) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape") setActive(null);
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [active]);

  function show(target: EventTarget, by: Active["by"]) {
    const link = target instanceof Element ? target.closest("a") : null;
    const hex = link ? bySlug.get(link.getAttribute("href")?.split("/").pop() ?? "") : undefined;
    if (!link || !hex || !frame.current) return;
    if (by === "pointer" && active?.hex === hex) return;
    if (by === "focus") link.setAttribute("aria-describedby", TOOLTIP_ID);
    setActive({
      hex,
      by,
      position: tooltipPosition(link.getBoundingClientRect(), frame.current.getBoundingClientRect()),
    });
  }

  function onBlur(event: FocusEvent<SVGSVGElement>) {
    if (event.target instanceof Element) event.target.removeAttribute("aria-describedby");
    setActive((current) => (current?.by === "focus" ? null : current));
  }

  function onMouseLeave() {
    setActive((current) => (current?.by === "pointer" ? null : current));
  }

  return (
    <div className="hex-map" ref={frame} onMouseLeave={onMouseLeave}>
      <svg
        className="hex-map__svg"
        viewBox={viewBox}
        // A group, not an image: its hexes are links people can reach and follow.
        role="group"
        aria-labelledby="hex-map-title"
        onMouseOver={(event) => show(event.target, "pointer")}
        onFocus={(event) => show(event.target, "focus")}
        onBlur={onBlur}
      >
        <title id="hex-map-title">{title}</title>
        <HexMapPatterns />
        <HexLinks hexes={hexes} shape={shape} partyName={partyName} />
        {active ? (
          <path
            className={`hex-map__ring hex-map__ring--${active.by}`}
            d={`M${active.hex.x} ${active.hex.y}${shape}`}
            aria-hidden="true"
          />
        ) : null}
      </svg>
      {active ? (
        <HexTooltip hex={active.hex} position={active.position} partyNames={partyNames} partyName={partyName} />
      ) : null}
    </div>
  );
}

// 650 links: drawn once per set of hexes, not again each time the tooltip moves.
const HexLinks = memo(function HexLinks({
  hexes,
  shape,
  partyName,
}: {
  hexes: HexMapHex[];
  shape: string;
  partyName?: string;
}) {
  return (
    <g className="hex-map__hexes">
      {hexes.map((hex) => (
        <a
          key={hex.code}
          href={paths.constituency(hex.slug)}
          aria-label={hexLinkLabel({ name: hex.name, status: hex.status, matches: hex.matches, partyName })}
          className={hexClassName(hex.status, hex.matches)}
        >
          <path d={`M${hex.x} ${hex.y}${shape}`} />
        </a>
      ))}
    </g>
  );
});

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

function HexTooltip({
  hex,
  position,
  partyNames,
  partyName,
}: {
  hex: HexMapHex;
  position: TooltipPosition;
  partyNames: string[];
  partyName?: string;
}) {
  const candidates = unpackCandidates(hex.candidates, partyNames);
  return (
    <div id={TOOLTIP_ID} role="tooltip" className="hex-map__tooltip" style={position}>
      <p className="hex-map__tooltip-title">{hex.name}</p>
      <p className="hex-map__tooltip-status">{mapStatusLabel(hex.status, partyName)}</p>
      {candidates.length > 0 ? (
        <ul className="hex-map__tooltip-list">
          {candidates.map((c) => (
            <li key={`${c.name} ${c.partyName}`}>
              {c.name} ({c.partyName}): {pledgeStatusLabels[c.status]}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Beside the hex, on whichever side has room, so it never covers the hex it describes. */
type Box = Pick<DOMRect, "left" | "top" | "width" | "height">;

export function tooltipPosition(hex: Box, frame: Box): TooltipPosition {
  const left = hex.left - frame.left;
  const top = hex.top - frame.top;
  const gap = 8;
  const horizontal =
    left + hex.width / 2 < frame.width / 2
      ? { left: Math.round(left + hex.width + gap) }
      : { right: Math.round(frame.width - left + gap) };
  const vertical =
    top + hex.height / 2 < frame.height / 2
      ? { top: Math.round(Math.max(0, top)) }
      : { bottom: Math.round(Math.max(0, frame.height - top - hex.height)) };
  return { ...horizontal, ...vertical };
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
