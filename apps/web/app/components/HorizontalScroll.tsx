import type { ReactNode } from "react";

/**
 * A wide table's own sideways scroll on a phone, instead of widening the page. Focusable and
 * named, so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function HorizontalScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div
      className="overflow-x-auto focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      // Reachable by keyboard: a scroll area a keyboard user cannot focus cannot be scrolled.
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      {children}
    </div>
  );
}
