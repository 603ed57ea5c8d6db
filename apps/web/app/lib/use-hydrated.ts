import { useEffect, useState } from "react";

/** Whether the page's script runs (after hydration); false in the server's HTML. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
