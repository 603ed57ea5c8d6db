import { and, eq, isNull, sql } from "drizzle-orm";

import { modelArtifacts } from "../schema";
import type { ArtifactFile } from "../types";
import type { Queryable } from "./queryable";

/**
 * Records the CRC-32 of files of a stored artifact that was ingested before CRC-32s were
 * recorded (computed by the caller from the stored bytes). Only entries still without one are
 * filled, and only while the row's file list is the one the caller read (`expected`): a file
 * list that changed meanwhile is left alone. Returns whether the row was updated.
 */
export async function recordFileCrc32s(
  db: Queryable,
  artifactId: string,
  expected: ArtifactFile[],
  crc32ByStoragePath: ReadonlyMap<string, number>,
): Promise<boolean> {
  const files = expected.map((file) => {
    const crc32 = crc32ByStoragePath.get(file.storage_path);
    if (file.crc32 !== undefined || crc32 === undefined) return file;
    if (!Number.isInteger(crc32) || crc32 < 0 || crc32 > 0xffffffff) {
      throw new RangeError(`crc32 of ${file.name} must be an unsigned 32-bit integer`);
    }
    return { ...file, crc32 };
  });
  const updated = await db
    .update(modelArtifacts)
    .set({ files })
    .where(
      and(
        eq(modelArtifacts.id, artifactId),
        eq(modelArtifacts.status, "stored"),
        isNull(modelArtifacts.deletedAt),
        sql`${modelArtifacts.files} = ${JSON.stringify(expected)}::jsonb`,
      ),
    )
    .returning({ id: modelArtifacts.id });
  return updated.length > 0;
}
