/** On a terminal: one progress bar per file (cli-progress) on stderr, and a line per event. */
import cliProgress from "cli-progress";

import type { PullEvent } from "../pull/events";

export function progressBarsReporter(stream: NodeJS.WriteStream): {
  onEvent: (event: PullEvent) => void;
  stop: () => void;
} {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: " {bar} {percentage}% | {file} | {done}/{size} MiB",
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const byFile = new Map<string, cliProgress.SingleBar>();
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const barFor = (file: string, size: number, done: number) => {
    let bar = byFile.get(file);
    if (!bar) {
      bar = bars.create(Math.max(size, 1), done, { file, size: mib(size), done: mib(done) });
      byFile.set(file, bar);
    }
    return bar;
  };
  return {
    onEvent(event) {
      switch (event.event) {
        case "file-start":
          barFor(event.file, event.size_bytes, event.offset);
          if (event.offset > 0) bars.log(`Resuming ${event.file} from ${mib(event.offset)} MiB\n`);
          break;
        case "progress":
          barFor(event.file, event.size_bytes, event.bytes).update(event.bytes, {
            done: mib(event.bytes),
          });
          break;
        case "file-done":
          barFor(event.name, event.size_bytes, event.size_bytes).update(event.size_bytes, {
            done: mib(event.size_bytes),
          });
          break;
        case "url-refreshed":
          bars.log(`${event.file}: download link refused (HTTP ${event.status}), got a new one\n`);
          break;
        case "retry":
          bars.log(`${event.file}: retry ${event.attempt} — ${event.reason}\n`);
          break;
        case "start":
          bars.log(`Pulling ${event.model_name} (${event.files.length} files) into ${event.dir}\n`);
          break;
      }
    },
    stop: () => bars.stop(),
  };
}
