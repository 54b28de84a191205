import { useEffect, useRef } from "react";
import type { FieldErrors } from "~/utils/forms";

/**
 * GOV.UK error summary: "There is a problem", a link to each field in error,
 * focused when it appears so screen readers announce it.
 */
export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  const key = JSON.stringify(entries);
  // Focus once per new set of errors, not on every render.
  useEffect(() => {
    if (key !== "[]") ref.current?.focus();
  }, [key]);
  if (entries.length === 0) return null;
  return (
    <div
      className="error-summary"
      aria-labelledby="error-summary-title"
      role="alert"
      tabIndex={-1}
      ref={ref}
      // Pages that ship no script (utils/route-handle.ts) still focus it on load, as GOV.UK asks: the
      // browser does it for `autofocus`, and the effect above does it when errors change after hydration.
      // eslint-disable-next-line jsx-a11y/no-autofocus -- the error summary is meant to take focus
      autoFocus
    >
      <h2 className="error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <ul className="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`} onClick={(event) => focusField(event, field)}>
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

// As GOV.UK's own script does: following a summary link puts the cursor in the
// field, not just the page at it. Without JavaScript the link still scrolls there.
function focusField(event: React.MouseEvent<HTMLAnchorElement>, id: string) {
  const field = document.getElementById(id);
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
}
