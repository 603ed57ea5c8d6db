/**
 * CRC-32s for files of artifacts stored before the ingester recorded them: computed once from
 * the stored bytes (streamed, flat memory) and written back to the artifact's file list, so the
 * bundle's bytes are the same on every later download. @node-rs/crc32 as in ./zip-stream (the
 * same values as node:zlib's, several times faster).
 */
import { crc32 } from "@node-rs/crc32";

import { type ArtifactFile, type Database, recordFileCrc32s } from "@mad/db";
import type { ArtifactStorage } from "@mad/storage";

export type FileWithCrc32 = ArtifactFile & { crc32: number };

export class StoredFileChangedError extends Error {
  override readonly name = "StoredFileChangedError";
  constructor(
    readonly fileName: string,
    readonly recordedBytes: number,
    readonly storedBytes: number,
  ) {
    super(
      `stored file ${fileName} no longer has the size recorded for it (recorded ${recordedBytes} bytes, storage has ${storedBytes})`,
    );
  }
}

export async function ensureCrc32s(
  deps: { db: Database; storage: ArtifactStorage },
  artifactId: string,
  files: ArtifactFile[],
  signal?: AbortSignal,
): Promise<FileWithCrc32[]> {
  const missing = files.filter((file) => file.crc32 === undefined);
  if (missing.length === 0) return files as FileWithCrc32[];
  const computed = new Map<string, number>();
  for (const file of missing) {
    let crc = 0;
    let size = 0;
    const stream = await deps.storage.read(file.storage_path, undefined, signal);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
    }
    if (size !== file.size_bytes)
      throw new StoredFileChangedError(file.name, file.size_bytes, size);
    computed.set(file.storage_path, crc);
  }
  // A concurrent request may have recorded them first; the values are the same either way.
  await recordFileCrc32s(deps.db, artifactId, files, computed);
  return files.map((file) => {
    const crc32 = file.crc32 ?? computed.get(file.storage_path);
    // Every file without a recorded CRC was read above.
    if (crc32 === undefined) throw new Error(`no CRC-32 computed for ${file.storage_path}`);
    return { ...file, crc32 };
  });
}
