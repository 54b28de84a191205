import type { ReactNode } from "react";

/**
 * A wide table on a phone scrolls sideways inside its own box, not the page.
 * The box is a named region that takes focus, so it can be scrolled from the
 * keyboard too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region is keyboard-operable
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
