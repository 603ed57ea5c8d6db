/**
 * "Nothing left behind" on Supabase: a folder's removal takes its objects and terminates the
 * resumable uploads still open for it; the sweep terminates uploads a killed writer abandoned.
 * Both find the uploads through the upload journal (TUS has no listing).
 */
import { normalizeFolderPrefix } from "../paths";
import type { SweepResult } from "../types";
import { terminate } from "./tus";
import { createTimedHttpStack } from "./tus-http-stack";
import type { UploadJournal } from "./upload-journal";

interface ListedRow {
  name: string;
  id: string | null | undefined;
}

export interface SupabaseCleanupDeps {
  journal: UploadJournal;
  listRows(folder: string): Promise<ListedRow[]>;
  remove(paths: string[]): Promise<void>;
  /** Auth headers plus `x-upsert: true` (the server checks it on DELETE too). */
  tusHeaders: Record<string, string>;
  requestTimeoutMs: number;
}

export function createSupabaseCleanup(deps: SupabaseCleanupDeps) {
  const httpStack = createTimedHttpStack(deps.requestTimeoutMs);

  async function objectsUnder(folder: string): Promise<string[]> {
    const paths: string[] = [];
    for (const row of await deps.listRows(folder)) {
      const path = `${folder}/${row.name}`;
      if (row.id === null || row.id === undefined) paths.push(...(await objectsUnder(path)));
      else paths.push(path);
    }
    return paths;
  }

  /** Terminates each upload and drops its entry; an upload that cannot be terminated stays. */
  async function closeUploads(
    entries: Awaited<ReturnType<UploadJournal["entries"]>>,
  ): Promise<number> {
    let closed = 0;
    for (const entry of entries) {
      const terminated =
        entry.uploadUrl === "" || (await terminate(entry.uploadUrl, deps.tusHeaders, httpStack));
      if (!terminated) continue;
      await deps.journal.forget(entry.journalPath);
      closed++;
    }
    return closed;
  }

  return {
    async removeFolder(prefix: string): Promise<void> {
      const folder = normalizeFolderPrefix(prefix);
      if (folder === "") throw new TypeError("removeFolder needs a folder, not the whole bucket");
      const open = (await deps.journal.entries()).filter((entry) =>
        entry.path.startsWith(`${folder}/`),
      );
      await closeUploads(open);
      const paths = await objectsUnder(folder);
      if (paths.length > 0) await deps.remove(paths);
    },

    async sweepStale({ olderThanMs }: { olderThanMs: number }): Promise<SweepResult> {
      const cutoff = Date.now() - olderThanMs;
      const stale = (await deps.journal.entries()).filter(
        (entry) => entry.updatedAt.getTime() < cutoff,
      );
      return { removed: await closeUploads(stale) };
    },
  };
}
