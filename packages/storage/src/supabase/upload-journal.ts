/**
 * A record of the resumable uploads in flight, kept in the bucket itself (under a folder no
 * object name may use), so any process can find the uploads of a worker that was killed: TUS has
 * no way to list them, and the real server keeps their partial files forever. An entry is
 * written when the server hands out the upload URL, refreshed while the upload moves, and removed
 * once the upload completed or was terminated; the sweep terminates whatever stays behind.
 */
import type { StorageClient } from "@supabase/storage-js";

import { LOCAL_TEMP_PREFIX } from "../paths";

/** Starts with the reserved prefix, so no object path can be in it (paths.ts refuses them). */
export const JOURNAL_FOLDER = `${LOCAL_TEMP_PREFIX}journal`;

type Bucket = ReturnType<StorageClient["from"]>;

export interface JournalEntry {
  journalPath: string;
  uploadUrl: string;
  /** The object the upload writes. */
  path: string;
  updatedAt: Date;
}

export interface UploadJournal {
  record(uploadUrl: string, path: string): Promise<string>;
  forget(journalPath: string): Promise<void>;
  entries(): Promise<JournalEntry[]>;
}

export function createUploadJournal(files: () => Bucket): UploadJournal {
  return {
    async record(uploadUrl, path) {
      // One entry per upload URL: the name is a digest of it, so a refresh overwrites.
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(uploadUrl));
      const name = Buffer.from(digest).toString("hex").slice(0, 40);
      const journalPath = `${JOURNAL_FOLDER}/${name}.json`;
      const body = JSON.stringify({ uploadUrl, path, updatedAt: new Date().toISOString() });
      const { error } = await files().upload(journalPath, Buffer.from(body), {
        contentType: "application/json",
        upsert: true,
      });
      if (error) throw error;
      return journalPath;
    },
    async forget(journalPath) {
      const { error } = await files().remove([journalPath]);
      if (error) throw error;
    },
    async entries() {
      const { data, error } = await files().list(JOURNAL_FOLDER, { limit: 1000 });
      if (error) throw error;
      const entries: JournalEntry[] = [];
      for (const row of data) {
        if (row.id === null || row.id === undefined) continue;
        const journalPath = `${JOURNAL_FOLDER}/${row.name}`;
        const { data: blob, error: readError } = await files().download(journalPath);
        if (readError) continue;
        try {
          const parsed = JSON.parse(await blob.text()) as {
            uploadUrl?: unknown;
            path?: unknown;
            updatedAt?: unknown;
          };
          if (typeof parsed.uploadUrl !== "string" || typeof parsed.path !== "string") continue;
          const updatedAt = new Date(
            typeof parsed.updatedAt === "string" ? parsed.updatedAt : (row.updated_at ?? 0),
          );
          entries.push({ journalPath, uploadUrl: parsed.uploadUrl, path: parsed.path, updatedAt });
        } catch {
          // An unreadable entry is removed by the sweep below like a stale one.
          entries.push({ journalPath, uploadUrl: "", path: "", updatedAt: new Date(0) });
        }
      }
      return entries;
    },
  };
}
