import { useEffect, useRef } from "react";

import { startDownload } from "../../lib/browser";
import type { ModelActionResult } from "./types";

/** Starts each download through a hidden link, one after another: no pop-ups, no zip. */
export function useSequentialDownloads(result: ModelActionResult | undefined): void {
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!result || result.kind !== "links" || result.scope !== "all") return;
    if (started.current === result.expiresAt) return;
    started.current = result.expiresAt;
    let cancelled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    result.links.forEach((link, index) => {
      timers.push(
        setTimeout(() => {
          if (cancelled) return;
          startDownload(link.url, link.name);
        }, index * 600),
      );
    });
    return () => {
      cancelled = true;
      timers.forEach(clearTimeout);
    };
  }, [result]);
}
