import { type Database, recordIngestionProgress } from "@mad/db";

/**
 * Writes bytes_copied / bytes_total at most every `intervalMs`, never two writes at once, and
 * the latest value always lands (a trailing write when reports stop, e.g. a stalled transfer).
 * Progress is advisory: a failed write never stops the copy.
 */
export function createProgressWriter(db: Database, artifactId: string, intervalMs: number) {
  let latest: { copied: number; total: number | null } | null = null;
  let lastWrite = 0;
  let writing: Promise<void> | null = null;
  let trailing: NodeJS.Timeout | null = null;
  let stopped = false;
  const write = async () => {
    const value = latest;
    latest = null;
    if (!value) return;
    lastWrite = Date.now();
    await recordIngestionProgress(db, artifactId, value.copied, value.total).catch(() => {});
  };
  const tick = () => {
    if (stopped || writing || !latest) return;
    const wait = lastWrite + intervalMs - Date.now();
    if (wait > 0) {
      trailing ??= setTimeout(() => {
        trailing = null;
        tick();
      }, wait);
      return;
    }
    writing = write().finally(() => {
      writing = null;
      tick();
    });
  };
  return {
    report(copied: number, total: number | null) {
      latest = { copied, total };
      tick();
    },
    async stop() {
      stopped = true;
      if (trailing) clearTimeout(trailing);
      await writing;
    },
  };
}
