/**
 * Democracy Club's slug rule, used for ballot_paper_id and our URLs: strip
 * accents (ŵ→w, ô→o), drop apostrophes, lowercase, hyphenate the rest.
 * "Queen's Park and Maida Vale" → "queens-park-and-maida-vale".
 */
export function slugify(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/['’‘]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
