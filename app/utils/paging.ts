// Long staff lists (the outbox, the audit log) a page at a time.

/**
 * The page to show of `total` rows: a page past the end shows the last one
 * (as a stale "next" link would want), an empty list is page 1 of 1.
 */
export function pageWindow({ total, page, pageSize }: { total: number; page: number; pageSize: number }) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  return { page: current, pageCount, offset: (current - 1) * pageSize };
}
