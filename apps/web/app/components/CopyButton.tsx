import { useEffect, useState } from "react";

import { copyToClipboard } from "../lib/browser";
import { useHydrated } from "../lib/use-hydrated";

/** A "Copy" button that exists only once JavaScript runs; without it the text stays selectable. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const hydrated = useHydrated();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  if (!hydrated) return null;
  return (
    <button
      type="button"
      className="btn-secondary px-2 py-1 text-xs"
      aria-label={label}
      onClick={() => {
        copyToClipboard(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
    </button>
  );
}
