// @ts-check
// The hex map's tooltips, as a plain module: the map page ships no framework
// (see app/utils/route-handle.ts), so this is all the JavaScript it runs.
// Hovering or focusing a hex shows, beside it, the constituency, its best
// answer and each candidate's answer. The candidates are not in the page:
// they are fetched once, from the map's `data-tooltips` address, the first
// time someone points at or tabs to a hex. Escape dismisses the tooltip
// wherever focus is (WCAG 1.4.13); a focused hex is described by it.
//
// Served as it is written (imported with Vite's `?url`, fingerprinted, not
// bundled): no imports, no build step, nothing the browser lacks.

const TOOLTIP_ID = "hex-map-tooltip";

/**
 * @typedef {{ left: number; top: number; width: number; height: number }} Box
 * @typedef {Partial<Record<"left" | "right" | "top" | "bottom", number>>} TooltipPosition
 * @typedef {{ parties: string[]; answers: string[]; seats: Record<string, [string, string, string]> }} Tooltips
 */

/**
 * Beside the hex, on whichever side has room, so it never covers the hex it describes.
 * @param {Box} hex
 * @param {Box} frame
 * @returns {TooltipPosition}
 */
export function tooltipPosition(hex, frame) {
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

/**
 * The lines of a seat's tooltip: "Name (Party): Answer" for each candidate,
 * unpacked from "name TAB party number TAB answer number" lines.
 * @param {string} packed
 * @param {Tooltips} data
 */
export function candidateLines(packed, data) {
  if (packed === "") return [];
  return packed.split("\n").map((line) => {
    const [name = "", party = "", answer = ""] = line.split("\t");
    return `${name} (${data.parties[Number(party)] ?? ""}): ${data.answers[Number(answer)] ?? ""}`;
  });
}

/** @type {Map<string, Promise<Tooltips | null>>} */
const loaded = new Map();

/** @param {string} url */
function load(url) {
  let data = loaded.get(url);
  if (!data) {
    data = fetch(url, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? /** @type {Promise<Tooltips>} */ (response.json()) : null))
      // Offline or refused: the tooltip still names the seat and its answer, from the link.
      .catch(() => null);
    loaded.set(url, data);
  }
  return data;
}

/** @type {{ link: Element; frame: HTMLElement; by: "pointer" | "focus" } | null} */
let active = null;

function hide() {
  active = null;
  document.getElementById(TOOLTIP_ID)?.remove();
  document.querySelector(".hex-map__ring--pointer, .hex-map__ring--focus")?.remove();
}

/**
 * @param {EventTarget | null} target
 * @returns {{ link: Element; frame: HTMLElement } | null}
 */
function hexOf(target) {
  if (!(target instanceof Element)) return null;
  const frame = target.closest(".hex-map[data-tooltips]");
  const link = target.closest(".hex-map__hexes a");
  return frame instanceof HTMLElement && link && frame.contains(link) ? { link, frame } : null;
}

/**
 * @param {{ link: Element; frame: HTMLElement }} hex
 * @param {"pointer" | "focus"} by
 */
async function show({ link, frame }, by) {
  if (by === "pointer" && active?.link === link) return;
  if (by === "focus") link.setAttribute("aria-describedby", TOOLTIP_ID);
  active = { link, frame, by };
  const data = await load(frame.dataset.tooltips ?? "");
  // Someone may have moved on while the candidates were on their way.
  if (active?.link !== link || active.by !== by) return;
  draw(link, frame, by, data);
}

/**
 * @param {Element} link
 * @param {HTMLElement} frame
 * @param {"pointer" | "focus"} by
 * @param {Tooltips | null} data
 */
function draw(link, frame, by, data) {
  document.getElementById(TOOLTIP_ID)?.remove();
  document.querySelector(".hex-map__ring--pointer, .hex-map__ring--focus")?.remove();
  const slug = (link.getAttribute("href") ?? "").split("/").pop() ?? "";
  const label = link.getAttribute("aria-label") ?? "";
  const seat = data?.seats[slug];
  const split = label.lastIndexOf(": ");
  const name = seat?.[0] ?? label.slice(0, split);
  const status = seat?.[1] ?? label.slice(split + 2);

  const tooltip = document.createElement("div");
  tooltip.id = TOOLTIP_ID;
  tooltip.setAttribute("role", "tooltip");
  tooltip.className = "hex-map__tooltip";
  const title = tooltip.appendChild(document.createElement("p"));
  title.className = "hex-map__tooltip-title";
  title.textContent = name;
  const answer = tooltip.appendChild(document.createElement("p"));
  answer.className = "hex-map__tooltip-status";
  answer.textContent = status;
  const lines = seat && data ? candidateLines(seat[2], data) : [];
  if (lines.length > 0) {
    const list = tooltip.appendChild(document.createElement("ul"));
    list.className = "hex-map__tooltip-list";
    for (const line of lines) list.appendChild(document.createElement("li")).textContent = line;
  }
  const position = tooltipPosition(link.getBoundingClientRect(), frame.getBoundingClientRect());
  for (const [side, px] of Object.entries(position)) tooltip.style.setProperty(side, `${px}px`);
  frame.appendChild(tooltip);

  // A ring drawn above the neighbouring hexes, so the hex stands out.
  const hexPath = link.querySelector("path");
  const svg = link.closest("svg");
  if (hexPath && svg) {
    const ring = document.createElementNS("http://www.w3.org/2000/svg", "path");
    ring.setAttribute("class", `hex-map__ring hex-map__ring--${by}`);
    ring.setAttribute("d", hexPath.getAttribute("d") ?? "");
    ring.setAttribute("aria-hidden", "true");
    svg.appendChild(ring);
  }
}

// Listening on the document, not on one map: the page may be drawn again
// (a client-side navigation in a hydrated part of the site) and keep working.
if (typeof document !== "undefined") {
  document.addEventListener("mouseover", (event) => {
    const hex = hexOf(event.target);
    if (hex) return void show(hex, "pointer");
    // Off the map altogether (not just between hexes, or onto the tooltip): the pointer's tooltip goes.
    const inMap = event.target instanceof Element && event.target.closest(".hex-map");
    if (!inMap && active?.by === "pointer") hide();
  });
  document.addEventListener("focusin", (event) => {
    const hex = hexOf(event.target);
    if (hex) void show(hex, "focus");
  });
  document.addEventListener("focusout", (event) => {
    if (!hexOf(event.target)) return;
    /** @type {Element} */ (event.target).removeAttribute("aria-describedby");
    if (active?.by === "focus") hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && active) hide();
  });
}
