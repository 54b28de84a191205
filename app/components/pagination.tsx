import { Link } from "@remix-run/react";

/** Previous and next links around "Page 2 of 7"; nothing when everything fits on one page. */
export function Pagination({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <Link rel="prev" to={href(page - 1)}>
          Previous<span className="visually-hidden"> page</span>
        </Link>
      ) : null}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link rel="next" to={href(page + 1)}>
          Next<span className="visually-hidden"> page</span>
        </Link>
      ) : null}
    </nav>
  );
}
