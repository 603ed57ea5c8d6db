import { sql } from "drizzle-orm";

import { modelArtifacts } from "../schema";
import { ownedLiveArtifact } from "./ownership";
import type { Queryable } from "./queryable";

/** Longest model name a user may give (the generated ones are far shorter). */
export const ARTIFACT_NAME_MAX_LENGTH = 200;

/**
 * Its owner gives a live model a name of their own (in any state). Returns false when the caller
 * has no such live model. The name is trimmed; an empty or over-long one is refused.
 */
export async function renameArtifact(
  db: Queryable,
  owner: { userId: string; artifactId: string; name: string },
): Promise<boolean> {
  const name = owner.name.trim();
  if (name.length === 0 || name.length > ARTIFACT_NAME_MAX_LENGTH) {
    throw new RangeError(`a model name must be 1 to ${ARTIFACT_NAME_MAX_LENGTH} characters`);
  }
  const renamed = await db
    .update(modelArtifacts)
    .set({ name, updatedAt: sql`now()` })
    .where(ownedLiveArtifact(owner.userId, owner.artifactId))
    .returning({ id: modelArtifacts.id });
  return renamed.length > 0;
}
