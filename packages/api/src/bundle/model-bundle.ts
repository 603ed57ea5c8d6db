/**
 * A stored model as a ZIP: its files in their recorded order, then `SHA256SUMS`. Everything
 * about the archive — length, bytes, ETag — follows from the artifact row, so two requests for
 * the same model get the same bytes (what `Range` and `If-Range` need).
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";

import { type Database, modelArtifacts, ownedLiveArtifact } from "@mad/db";
import type { ArtifactStorage } from "@mad/storage";

import { ensureCrc32s } from "./crc32s";
import { sha256sums } from "./sha256sums";
import { layoutZip, type ZipEntry, type ZipLayout } from "./zip-layout";
import type { EntrySource } from "./zip-stream";

export const SHA256SUMS_NAME = "SHA256SUMS";
/** Bumped when the archive's layout changes, so old ETags stop matching. */
const LAYOUT_VERSION = "1";

export interface ModelBundle {
  artifactId: string;
  modelName: string;
  /** Name the browser saves it under. */
  fileName: string;
  storedAt: Date;
  entries: ZipEntry[];
  layout: ZipLayout;
  /** Strong validator of exactly these bytes. */
  etag: string;
  source: EntrySource;
}

export interface BundleDeps {
  db: Database;
  storage: ArtifactStorage;
  /** Tests only: ZIP64 fields from this size on. */
  zip64Threshold?: number;
}

export async function loadStoredArtifact(db: Database, userId: string, artifactId: string) {
  const [row] = await db
    .select({
      id: modelArtifacts.id,
      name: modelArtifacts.name,
      status: modelArtifacts.status,
      files: modelArtifacts.files,
      storedAt: modelArtifacts.storedAt,
      bytesCopied: modelArtifacts.bytesCopied,
      bytesTotal: modelArtifacts.bytesTotal,
      failureReason: modelArtifacts.failureReason,
    })
    .from(modelArtifacts)
    .where(ownedLiveArtifact(userId, artifactId))
    .limit(1);
  return row ?? null;
}

/** The bundle of the caller's live stored model; null for anything else (missing, not stored). */
export async function loadModelBundle(
  deps: BundleDeps,
  userId: string,
  artifactId: string,
  signal?: AbortSignal,
): Promise<ModelBundle | null> {
  const row = await loadStoredArtifact(deps.db, userId, artifactId);
  if (!row || row.status !== "stored" || !row.storedAt) return null;
  return bundleOf(deps, row as typeof row & { storedAt: Date }, signal);
}

export async function bundleOf(
  deps: BundleDeps,
  row: NonNullable<Awaited<ReturnType<typeof loadStoredArtifact>>> & { storedAt: Date },
  signal?: AbortSignal,
): Promise<ModelBundle> {
  // Names were checked at ingest; a ZIP entry must still never point outside the folder it is
  // extracted into ("zip slip").
  for (const file of row.files) {
    if (
      !/^[^/\\\u0000-\u001f\u007f]+$/.test(file.name) ||
      file.name === "." ||
      file.name === ".."
    ) {
      throw new Error(`refusing to put ${JSON.stringify(file.name)} into a ZIP`);
    }
  }
  const files = await ensureCrc32s(deps, row.id, row.files, signal);
  // A model that ships its own SHA256SUMS keeps it (it is one of the verified files anyway).
  const ownSums = files.some((file) => file.name === SHA256SUMS_NAME);
  const sums = Buffer.from(sha256sums(files), "utf8");
  const entries: ZipEntry[] = files.map((file) => ({
    name: file.name,
    size: file.size_bytes,
    crc32: file.crc32,
  }));
  if (!ownSums) entries.push({ name: SHA256SUMS_NAME, size: sums.length, crc32: crc32(sums) });
  const layout = layoutZip(entries, {
    modifiedAt: row.storedAt,
    ...(deps.zip64Threshold === undefined ? {} : { zip64Threshold: deps.zip64Threshold }),
  });
  const fingerprint = createHash("sha256")
    .update(
      JSON.stringify([
        LAYOUT_VERSION,
        row.storedAt.toISOString(),
        deps.zip64Threshold ?? null,
        files.map((f) => [f.name, f.size_bytes, f.sha256, f.crc32]),
      ]),
    )
    .digest("base64url");
  const source: EntrySource = async (entryIndex, range, entrySignal) => {
    const file = files[entryIndex];
    if (!file) {
      return Readable.from([range ? sums.subarray(range.start, range.end + 1) : sums]);
    }
    return deps.storage.read(file.storage_path, range, entrySignal);
  };
  return {
    artifactId: row.id,
    modelName: row.name,
    fileName: `${row.name.replace(/[\u0000-\u001f\u007f/\\]+/g, "-").trim() || "model"}.zip`,
    storedAt: row.storedAt,
    entries,
    layout,
    etag: `"${fingerprint.slice(0, 32)}"`,
    source,
  };
}
