import { eq, isNull, type SQL } from "drizzle-orm";

import { allOf } from "../query-helpers";
import { modelArtifacts } from "../schema";

/**
 * The caller's live artifact with this id: the condition every per-user operation starts from.
 * Another user's artifact, a deleted one and a missing one all fail it alike (SPEC §6).
 */
export function ownedLiveArtifact(userId: string, artifactId: string): SQL {
  return allOf(
    eq(modelArtifacts.id, artifactId),
    eq(modelArtifacts.userId, userId),
    isNull(modelArtifacts.deletedAt),
  );
}
