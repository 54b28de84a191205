/** A LIKE pattern for "contains": `%` and `_` typed into a search box are letters to match, not wildcards. */
export function likeContaining(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
