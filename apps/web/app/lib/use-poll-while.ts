import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Reloads the page's data every `intervalMs` while `active` (e.g. a model is still being
 * copied), so progress moves without a manual reload. Only with JavaScript; pauses while the
 * tab is hidden.
 */
export function usePollWhile(active: boolean, intervalMs = 4000): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      const hidden = (globalThis as { document?: { hidden?: boolean } }).document?.hidden ?? false;
      if (!hidden && revalidator.state === "idle") revalidator.revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, revalidator]);
}
