// The query parameters each page reads, and the parsers that read them, in
// one place (every route's loader reads its query string through here). The page cache (page-cache.server.ts)
// keys a page on these alone, in this order, so junk query strings
// (`/map?x=1`, `/map?x=2`, …) all share one entry instead of each rendering
// and keeping a copy; the board's and the map's lists are their parsers' own
// fields, so a parser cannot read a parameter the cache ignores. A public page
// not listed here is never cached: better uncached than served with the wrong
// content.
import { z } from "zod";
import { candidacyStatuses, mailKinds, outboxStatuses } from "#db/enums";
import { sorts, type BoardQuery } from "./board";
import { fieldErrorsOf, type FieldErrors } from "./forms";
import { mapFilterStatuses, type MapFilterStatus } from "./map";
import { pledgeStatuses } from "./pledge";
import { normalisePostcode } from "./postcode";

// Query strings are input: parsed once, and anything unknown means "all".
const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined)
  .catch(undefined);

function pageNumber() {
  return z.coerce.number().int().min(1).catch(1);
}

const boardQuery = z.object({
  nation: optionalText,
  region: optionalText,
  party: optionalText,
  status: z.enum(pledgeStatuses).optional().catch(undefined),
  q: optionalText,
  sort: z.enum(sorts).catch("constituency"),
  page: pageNumber(),
});

// A slug as our URLs spell them: anything else is no area or seat at all.
const optionalSlug = z
  .string()
  .regex(/^[a-z0-9-]{1,100}$/)
  .optional()
  .catch(undefined);

const mapQuery = z.object({
  party: optionalText,
  status: z.enum(mapFilterStatuses).optional().catch(undefined),
  // Zoom to a nation or an English region, by slug: `london`, `wales`.
  region: optionalSlug,
  // Ring one constituency (and zoom to its region), by slug.
  seat: optionalSlug,
  // The "find a constituency on the map" box: a postcode or part of a name,
  // as typed. Kept apart from the view: it is answered with a redirect to
  // `?seat=`, a list to choose from, or an error.
  find: z.string().max(200).optional().catch(undefined),
});

export type MapQuery = {
  party?: string;
  status?: MapFilterStatus;
  region?: string;
  seat?: string;
  find?: string;
};

// The map as a table (/map/table): the map's filters and zoom, no seat, no find box.
const mapTableQuery = mapQuery.pick({ party: true, status: true, region: true });

export function parseMapTableQuery(params: URLSearchParams): Pick<MapQuery, "party" | "status" | "region"> {
  return mapTableQuery.parse(readFields(params, mapTableQuery.shape));
}

// The tooltips' data depends on the party filter alone (see findMapTooltips).
const mapTooltipsQuery = z.object({ party: optionalText });

export function parseMapTooltipsQuery(params: URLSearchParams): { party?: string } {
  return mapTooltipsQuery.parse(readFields(params, mapTooltipsQuery.shape));
}

export function parseBoardQuery(params: URLSearchParams): BoardQuery {
  return boardQuery.parse(readFields(params, boardQuery.shape));
}

export function parseMapQuery(params: URLSearchParams): MapQuery {
  return mapQuery.parse(readFields(params, mapQuery.shape));
}

// Only the schema's own fields, last value of each: a repeated parameter
// (`?party=A&party=B`) means its last, as the board always read it (the map
// read the first; one rule now, the board's).
function readFields(params: URLSearchParams, shape: object) {
  return Object.fromEntries(Object.keys(shape).map((name) => [name, params.getAll(name).at(-1)]));
}

/** Enough for any postcode however it is spaced; longer input is not echoed back. */
export const POSTCODE_ECHO_MAX = 40;

/**
 * The `postcode` parameter a friend's link (`/?postcode=…`) or /find's
 * redirect carries: the postcode, when it is one, and the text as typed
 * (trimmed, not at length) for a field to show back to be corrected.
 */
export function readPostcodeParam(params: URLSearchParams) {
  const typed = params.get("postcode") ?? "";
  return { postcode: normalisePostcode(typed), asTyped: typed.trim().slice(0, POSTCODE_ECHO_MAX) };
}

/** The candidate page's notices: a signing link was requested, or answers were just recorded. */
export function parseCandidatePageQuery(params: URLSearchParams) {
  return { linkRequested: params.get("link") === "requested", recorded: params.has("recorded") };
}

/** The thank-you page: which constituency, and which asked candidates have no published email. */
export function parseThankYouQuery(params: URLSearchParams) {
  return { constituencySlug: params.get("constituency") ?? "", noEmailIds: new Set(params.getAll("noEmail")) };
}

// The staff console's lists. Their filter forms are GET forms, so a search can
// be bookmarked and sent to a colleague.

const staffOutboxQuery = z.object({
  status: z.enum(outboxStatuses).optional().catch(undefined),
  kind: z.enum(mailKinds).optional().catch(undefined),
  recipient: optionalText,
  page: pageNumber(),
});

export type StaffOutboxQuery = z.infer<typeof staffOutboxQuery>;

export function parseStaffOutboxQuery(params: URLSearchParams): StaffOutboxQuery {
  return staffOutboxQuery.parse(readFields(params, staffOutboxQuery.shape));
}

const staffCandidatesQuery = z.object({
  name: optionalText,
  constituency: optionalText,
  party: optionalText,
  status: z.enum(candidacyStatuses).optional().catch(undefined),
  email: z.enum(["yes", "no"]).optional().catch(undefined),
  page: pageNumber(),
});

export type StaffCandidatesQuery = z.infer<typeof staffCandidatesQuery>;

export function parseStaffCandidatesQuery(params: URLSearchParams): StaffCandidatesQuery {
  return staffCandidatesQuery.parse(readFields(params, staffCandidatesQuery.shape));
}

// Date inputs send "YYYY-MM-DD"; a browser without a date picker sends
// whatever was typed, so a day that is not a real one is an error to show.
function auditDay(label: string) {
  return optionalText.refine((day) => day === undefined || isRealDay(day), {
    message: `${label} must be a real date, like 2024-06-27`,
  });
}

function isRealDay(day: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

const staffAuditFilters = z
  .object({
    actor: optionalText,
    action: optionalText,
    from: auditDay("The ‘from’ date"),
    to: auditDay("The ‘to’ date"),
  })
  .refine(({ from, to }) => !from || !to || from <= to, {
    message: "The ‘to’ date must be the same as or after the ‘from’ date",
    path: ["to"],
  });

export type StaffAuditQuery = z.infer<typeof staffAuditFilters> & { page: number };

/**
 * The audit log's filters as typed (so the form can show them back), the page,
 * and an error message for each date that is not a real one.
 */
export function parseStaffAuditQuery(params: URLSearchParams): {
  query: StaffAuditQuery;
  errors: FieldErrors;
} {
  const fields = readFields(params, { actor: 0, action: 0, from: 0, to: 0 });
  const page = pageNumber().parse(params.getAll("page").at(-1));
  const parsed = staffAuditFilters.safeParse(fields);
  if (parsed.success) return { query: { ...parsed.data, page }, errors: {} };
  const typed = (name: string) => fields[name]?.trim().slice(0, 100) || undefined;
  return {
    query: { actor: typed("actor"), action: typed("action"), from: typed("from"), to: typed("to"), page },
    errors: fieldErrorsOf(parsed.error),
  };
}

/**
 * The same address without its empty parameters, or null when it has none: a
 * GET form sends every field, so "?status=&kind=sent" becomes "?kind=sent"
 * and the address says only what was chosen.
 */
export function withoutEmptyParams(url: URL): string | null {
  const params = [...url.searchParams];
  if (!params.some(([, value]) => value === "")) return null;
  const kept = new URLSearchParams(params.filter(([, value]) => value !== ""));
  const query = kept.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

function fieldsOf(shape: object) {
  return Object.keys(shape).sort();
}

const pages: { path: RegExp; params: readonly string[] }[] = [
  { path: /^\/$/, params: ["postcode"] },
  { path: /^\/board$/, params: fieldsOf(boardQuery.shape) },
  { path: /^\/map$/, params: fieldsOf(mapQuery.shape) },
  { path: /^\/map\/table$/, params: fieldsOf(mapTableQuery.shape) },
  { path: /^\/map\/tooltips\.json$/, params: fieldsOf(mapTooltipsQuery.shape) },
  { path: /^\/constituencies$/, params: [] },
  { path: /^\/constituencies\/[^/]+$/, params: ["postcode"] },
  { path: /^\/candidates\/[^/]+$/, params: ["link", "recorded"] },
  { path: /^\/supporters$/, params: [] },
  { path: /^\/data$/, params: [] },
  { path: /^\/privacy$/, params: [] },
  { path: /^\/data\/(pledges\.csv|pledges\.json|constituencies\.json)$/, params: [] },
];

/** The query parameters a public page reads, or undefined for a page that is not declared. */
export function pageQueryParams(pathname: string): readonly string[] | undefined {
  return pages.find((page) => page.path.test(pathname))?.params;
}

/**
 * The page cache's key for a request target: the path and only the declared
 * parameters, sorted, each with its values in the order sent; `dropped` says
 * whether the target had others. Undefined when the page must not be cached:
 * an undeclared path, or a Remix `?_data=` request (JSON, not the page). A
 * client navigation's `/board.data` is keyed like `/board`, plus the
 * `_routes` parameter Remix sends with it.
 */
export function pageCacheKey(target: string): { key: string; dropped: boolean } | undefined {
  if (!target.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(target, "http://cache.invalid");
  } catch {
    return undefined;
  }
  if (url.searchParams.has("_data")) return undefined;
  const isData = url.pathname.endsWith(".data");
  const pagePath = isData ? url.pathname.slice(0, -".data".length).replace(/^\/_root$/, "/") : url.pathname;
  const declared = pageQueryParams(pagePath);
  if (declared === undefined) return undefined;
  const names = isData ? [...declared, "_routes"].sort() : declared;
  const kept = new URLSearchParams();
  for (const name of names) for (const value of url.searchParams.getAll(name)) kept.append(name, value);
  const query = kept.toString();
  const dropped = [...url.searchParams.keys()].some((name) => !names.includes(name));
  return { key: query ? `${url.pathname}?${query}` : url.pathname, dropped };
}
