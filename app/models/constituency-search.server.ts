import { searchConstituenciesByName } from "~/models/constituency.server";
import { lookUpPostcode, type PostcodeLookup } from "~/models/postcode-lookup.server";
import { normalisePostcode } from "~/utils/postcode";

const MAX_CHOICES = 20;

export type ConstituencySearch =
  | { status: "found"; slug: string; name: string }
  /** More than one name contains the text: the person picks. `more`: there were over MAX_CHOICES. */
  | { status: "choose"; choices: { name: string; slug: string; regionName: string | null }[]; more: boolean }
  | { status: "empty" }
  /** Neither a postcode we could place nor part of any constituency's name. */
  | { status: "no-name"; looksLikePostcode: boolean }
  | { status: "postcode"; lookup: Exclude<PostcodeLookup, { status: "found" }> };

/**
 * "Find a constituency" from one box: a postcode (any spacing or case) is
 * looked up as /find looks it up; anything else is part of a name.
 */
export async function searchConstituencies({ text }: { text: string }): Promise<ConstituencySearch> {
  const typed = text.trim();
  if (!typed) return { status: "empty" };
  if (normalisePostcode(typed)) {
    const lookup = await lookUpPostcode(typed);
    if (lookup.status === "found") return { status: "found", ...lookup.constituency };
    return { status: "postcode", lookup };
  }
  const found = await searchConstituenciesByName({ text: typed, limit: MAX_CHOICES + 1 });
  if (found.length === 1) return { status: "found", slug: found[0]!.slug, name: found[0]!.name };
  if (found.length > 1)
    return { status: "choose", choices: found.slice(0, MAX_CHOICES), more: found.length > MAX_CHOICES };
  // "SW1A" or "SW1A 1A": someone typing a postcode, not a name.
  return { status: "no-name", looksLikePostcode: /\d/.test(typed) };
}
