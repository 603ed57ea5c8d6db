/**
 * `--json` (or no terminal): one JSON object per line on stdout. Every event is printed except
 * `progress`, which is thinned to one line per file every PROGRESS_EVERY_MS (and is always
 * followed by that file's `file-done`), so scripts can follow a pull without drowning in lines.
 */
import type { PullEvent } from "../pull/events";

const PROGRESS_EVERY_MS = 500;

export function jsonLinesReporter(write: (line: string) => void): (event: PullEvent) => void {
  const lastProgress = new Map<string, number>();
  return (event) => {
    if (event.event === "progress") {
      const now = Date.now();
      if (now - (lastProgress.get(event.file) ?? 0) < PROGRESS_EVERY_MS) return;
      lastProgress.set(event.file, now);
    }
    write(`${JSON.stringify(event)}\n`);
  };
}
