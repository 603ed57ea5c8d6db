/**
 * "Nothing left behind" on local disk: a folder's removal takes everything in it (objects,
 * in-flight and abandoned temporary files, anything hidden), and the sweep removes temporary
 * files a killed writer left anywhere in the bucket. A live upload keeps touching its temporary
 * file, so one untouched for `olderThanMs` belongs to a writer that died.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import { StorageConfigError } from "../errors";
import { LOCAL_TEMP_PREFIX } from "../paths";
import type { SweepResult } from "../types";

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/** Removes `dir` whole, then its parents up to `bucketDir` while they are empty. */
export async function removeFolderTree(bucketDir: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (let parent = dirname(dir); parent.startsWith(`${bucketDir}/`); parent = dirname(parent)) {
    try {
      await rmdir(parent);
    } catch {
      return; // not empty (or gone): stop climbing
    }
  }
}

/** Temporary files under `dir` (recursively) untouched for `olderThanMs`; returns how many. */
export async function removeStaleTempFiles(
  dir: string,
  olderThanMs: number,
  now: Date,
): Promise<SweepResult> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { removed: 0 };
    throw error;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.startsWith(LOCAL_TEMP_PREFIX)) continue;
    const file = join(entry.parentPath, entry.name);
    try {
      const info = await stat(file);
      if (now.getTime() - info.mtimeMs <= olderThanMs) continue;
      await unlink(file);
      removed++;
    } catch (error) {
      // Its writer finished or removed it first.
      if (!isErrno(error, "ENOENT")) throw error;
    }
  }
  return { removed };
}

/** The bucket folder exists (or can be made) and takes a file. */
export async function verifyWritable(bucketDir: string): Promise<void> {
  const probe = join(bucketDir, `${LOCAL_TEMP_PREFIX}probe-${randomUUID()}.tmp`);
  try {
    await mkdir(bucketDir, { recursive: true });
    await writeFile(probe, "", { flag: "wx" });
    await unlink(probe);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new StorageConfigError(
      "LOCAL_STORAGE_DIR",
      `is not a folder this process can write to (${typeof code === "string" ? code : "error"})`,
    );
  }
}
