import { Link } from "@remix-run/react";

/** The buttons under a filter form: apply, and (once filtered) a way back to everything. */
export function FilterActions({ filtered, clearTo }: { filtered: boolean; clearTo: string }) {
  return (
    <div className="button-group">
      <button type="submit" className="button">
        Apply filters
      </button>
      {filtered ? (
        <Link to={clearTo} className="button button--secondary">
          Clear filters
        </Link>
      ) : null}
    </div>
  );
}
