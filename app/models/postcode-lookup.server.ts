import { z } from "zod";
import { findConstituencyByGssCode } from "~/models/constituency.server";
import { findPostcode } from "~/models/postcode.server";
import { env } from "~/utils/env.server";
import { normalisePostcode } from "~/utils/postcode";

type ConstituencyLink = { gssCode: string; name: string; slug: string };

export type PostcodeLookup =
  /** Not the shape of a UK postcode: nothing was looked up. */
  | { status: "invalid" }
  | { status: "found"; postcode: string; constituency: ConstituencyLink }
  /** `terminatedOn` is "YYYY-MM" when the source says. */
  | { status: "terminated"; postcode: string; terminatedOn: string | null }
  /**
   * The postcode exists but leads to none of our constituencies. `outside`: it
   * is in no UK Parliament constituency at all (ONS writes L99999999 for the
   * Channel Islands, M99999999 for the Isle of Man, or leaves it blank);
   * `not-covered`: a real constituency code that this installation has not
   * imported (a partial election, or a directory newer than the constituencies).
   */
  | { status: "no-constituency"; postcode: string; reason: "outside" | "not-covered"; gssCode: string | null }
  | { status: "unknown"; postcode: string }
  /** HTTP mode only: the service is down, slow or answering errors. `message` is for the logs. */
  | { status: "unavailable"; message: string };

export type PostcodeLookupConfig = { mode: "local" } | { mode: "http"; apiUrl: string; timeoutMs: number };

/**
 * Chooses how postcodes are looked up: the imported ONS directory (`local`,
 * the default, no network), or a postcodes.io-compatible API (`http`). Taking
 * the configuration as an argument lets tests point it at a stub server
 * without any test-only branch here.
 */
export function createPostcodeLookup(config: PostcodeLookupConfig): (input: string) => Promise<PostcodeLookup> {
  if (config.mode === "local") {
    return async (input) => {
      const postcode = normalisePostcode(input);
      if (!postcode) return { status: "invalid" };
      return lookUpInDirectory(postcode);
    };
  }
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  return async (input) => {
    const postcode = normalisePostcode(input);
    if (!postcode) return { status: "invalid" };
    return lookUpOverHttp({ postcode, apiUrl, timeoutMs: config.timeoutMs });
  };
}

/** The lookup the app is configured to use (POSTCODE_LOOKUP, POSTCODES_API_URL, POSTCODES_API_TIMEOUT_MS). */
export const lookUpPostcode = createPostcodeLookup(
  env.POSTCODE_LOOKUP === "http"
    ? { mode: "http", apiUrl: env.POSTCODES_API_URL, timeoutMs: env.POSTCODES_API_TIMEOUT_MS }
    : { mode: "local" },
);

async function lookUpInDirectory(postcode: string): Promise<PostcodeLookup> {
  const row = await findPostcode({ postcode });
  if (!row) return { status: "unknown", postcode };
  if (row.terminatedOn) return { status: "terminated", postcode, terminatedOn: row.terminatedOn };
  if (row.constituency) return { status: "found", postcode, constituency: row.constituency };
  return noConstituency(postcode, row.constituencyCode);
}

/**
 * A code shaped like a 2024 Westminster constituency (E14, S14, W07, N05,
 * then digits that are not the all-nines pseudo-code) is a real place we lack;
 * anything else means "no constituency".
 */
function noConstituency(postcode: string, code: string | null): PostcodeLookup {
  const real = code !== null && /^(E14|S14|W07|N05)\d{6}$/.test(code) && !code.endsWith("999999");
  return { status: "no-constituency", postcode, reason: real ? "not-covered" : "outside", gssCode: code };
}

// Only the fields used; postcodes.io sends dozens more.
const postcodeAnswer = z.object({
  result: z.object({
    postcode: z.string(),
    codes: z
      .object({
        parliamentary_constituency_2024: z.string().nullish(),
        parliamentary_constituency: z.string().nullish(),
      })
      .nullish(),
  }),
});

const terminatedAnswer = z.object({
  result: z.object({
    postcode: z.string(),
    year_terminated: z.number().int().nullish(),
    month_terminated: z.number().int().min(1).max(12).nullish(),
  }),
});

class Unavailable extends Error {}

async function lookUpOverHttp({
  postcode,
  apiUrl,
  timeoutMs,
}: {
  postcode: string;
  apiUrl: string;
  timeoutMs: number;
}): Promise<PostcodeLookup> {
  // One deadline for the whole lookup, including the terminated-postcode
  // check and reading the bodies, so a page never waits longer than this.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const live = await getJson(`${apiUrl}/postcodes/${encodeURIComponent(postcode)}`, signal);
    if (live.status === 200) {
      const parsed = postcodeAnswer.safeParse(live.body);
      if (!parsed.success)
        throw new Unavailable(`unexpected answer from ${apiUrl}/postcodes: ${parsed.error.issues[0]?.message}`);
      const codes = parsed.data.result.codes;
      // postcodes.io answers with the 2024 boundaries under both names since
      // the election; older deployments only have the plain one.
      const code = codes?.parliamentary_constituency_2024 ?? codes?.parliamentary_constituency ?? null;
      const constituency = code ? await findConstituencyByGssCode({ gssCode: code }) : undefined;
      if (constituency) return { status: "found", postcode, constituency };
      return noConstituency(postcode, code || null);
    }
    if (live.status !== 404) throw new Unavailable(`${apiUrl}/postcodes answered HTTP ${live.status}`);

    // postcodes.io forgets terminated postcodes at /postcodes (404) but keeps
    // them at /terminated_postcodes, which tells "no longer used" from "never was".
    const ended = await getJson(`${apiUrl}/terminated_postcodes/${encodeURIComponent(postcode)}`, signal);
    if (ended.status === 404) return { status: "unknown", postcode };
    if (ended.status !== 200) throw new Unavailable(`${apiUrl}/terminated_postcodes answered HTTP ${ended.status}`);
    const parsed = terminatedAnswer.safeParse(ended.body);
    const year = parsed.success ? parsed.data.result.year_terminated : null;
    const month = parsed.success ? parsed.data.result.month_terminated : null;
    return {
      status: "terminated",
      postcode,
      terminatedOn: year && month ? `${year}-${String(month).padStart(2, "0")}` : null,
    };
  } catch (error) {
    const message =
      error instanceof Unavailable
        ? error.message
        : signal.aborted
          ? `${apiUrl} did not answer within ${timeoutMs} ms`
          : `cannot reach ${apiUrl}: ${describe(error)}`;
    return { status: "unavailable", message };
  }
}

async function getJson(url: string, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  if (response.status >= 500) {
    // An error page's body says nothing useful: discard it.
    await response.body?.cancel();
    return { status: response.status, body: null };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch (error) {
    if (signal.aborted) throw error;
    if (response.status === 200) throw new Unavailable(`${url} answered 200 with a body that is not JSON`);
  }
  return { status: response.status, body };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = error.cause instanceof Error ? `${error.cause.message}` : "";
  return cause ? `${error.message} (${cause})` : error.message;
}
