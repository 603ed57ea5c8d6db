import { useEffect, useRef } from "react";

import { startDownload } from "../../lib/browser";
import type { ModelActionResult } from "./types";

/**
 * Starts each download through a hidden link, one after another: no pop-ups, no zip. The link
 * may be on another origin (Supabase Storage; or the public URL when the page was opened under
 * another name): the browser then ignores `download` and navigates to it, and the storage
 * answers `Content-Disposition: attachment`, so the page stays.
 */
export function useSequentialDownloads(result: ModelActionResult | undefined): void {
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!result || result.kind !== "links") return;
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
