import { sql } from "drizzle-orm";

import { modelArtifacts } from "../schema";
import { pathsInsideArtifactFolder } from "./identity";
import { ownedLiveArtifact } from "./ownership";
import type { Queryable } from "./queryable";

/**
 * any → deleted (soft, SPEC §3), for its owner. The row disappears for every reader at once;
 * the caller then removes the returned files (and whatever else storage lists in the folder,
 * filtered with pathsInsideArtifactFolder). A deleted model is never ingested, enqueued or
 * announced again. Returns null when the caller has no such live artifact.
 */
export async function softDeleteArtifact(
  db: Queryable,
  owner: { userId: string; artifactId: string; at?: Date },
): Promise<{ filePaths: string[] } | null> {
  const at = owner.at ?? sql`now()`;
  const [row] = await db
    .update(modelArtifacts)
    .set({ deletedAt: at, updatedAt: at })
    .where(ownedLiveArtifact(owner.userId, owner.artifactId))
    .returning({ files: modelArtifacts.files, artifacts: modelArtifacts.artifacts });
  if (!row) return null;
  return {
    filePaths: pathsInsideArtifactFolder(owner.userId, owner.artifactId, [
      ...row.files.map((file) => file.storage_path),
      ...Object.values(row.artifacts),
    ]),
  };
}
