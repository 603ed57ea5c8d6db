import { sql } from "drizzle-orm";

import { modelArtifacts } from "../schema";
import { ownedLiveArtifact } from "./ownership";
import type { Queryable } from "./queryable";
import { ARTIFACT_NAME_MAX_LENGTH } from "./rename";

/** Bounds of what a user writes about a model; the table's checks enforce the same ones. */
export const ARTIFACT_DESCRIPTION_MAX_LENGTH = 10_000;
export const ARTIFACT_TAGS_MAX = 20;
export const ARTIFACT_TAG_MAX_LENGTH = 40;
/** Lower-case letters, digits and `-_.+`, starting with a letter or digit. */
const TAG = /^[a-z0-9][a-z0-9._+-]*$/;

/** Tags as stored: trimmed, lower-case, each once, in the order given. Throws on a bad one. */
export function normalizeTags(tags: readonly string[]): string[] {
  const normalized = [...new Set(tags.map((tag) => tag.trim().toLowerCase()))].filter(Boolean);
  if (normalized.length > ARTIFACT_TAGS_MAX) {
    throw new RangeError(`a model takes at most ${ARTIFACT_TAGS_MAX} tags`);
  }
  for (const tag of normalized) {
    if (tag.length > ARTIFACT_TAG_MAX_LENGTH || !TAG.test(tag)) {
      throw new RangeError(
        `tag "${tag.slice(0, ARTIFACT_TAG_MAX_LENGTH)}" must be 1 to ${ARTIFACT_TAG_MAX_LENGTH} lower-case letters, digits or . _ + - (starting with a letter or digit)`,
      );
    }
  }
  return normalized;
}

export interface ArtifactDetails {
  name?: string;
  /** null (or only whitespace) removes the description. */
  description?: string | null;
  tags?: readonly string[];
}

/**
 * Its owner changes a live model's name, description and/or tags (in any state); fields left out
 * stay as they are. Returns false when the caller has no such live model; throws RangeError for a
 * value out of bounds (nothing is changed then).
 */
export async function updateArtifactDetails(
  db: Queryable,
  owner: { userId: string; artifactId: string },
  details: ArtifactDetails,
): Promise<boolean> {
  const set: Partial<typeof modelArtifacts.$inferInsert> = {};
  if (details.name !== undefined) {
    const name = details.name.trim();
    if (name.length === 0 || name.length > ARTIFACT_NAME_MAX_LENGTH) {
      throw new RangeError(`a model name must be 1 to ${ARTIFACT_NAME_MAX_LENGTH} characters`);
    }
    set.name = name;
  }
  if (details.description !== undefined) {
    const description = details.description?.trim() ?? "";
    if (description.length > ARTIFACT_DESCRIPTION_MAX_LENGTH) {
      throw new RangeError(
        `a description must be at most ${ARTIFACT_DESCRIPTION_MAX_LENGTH} characters`,
      );
    }
    set.description = description.length > 0 ? description : null;
  }
  if (details.tags !== undefined) set.tags = normalizeTags(details.tags);
  const updated = await db
    .update(modelArtifacts)
    .set({ ...set, updatedAt: sql`now()` })
    .where(ownedLiveArtifact(owner.userId, owner.artifactId))
    .returning({ id: modelArtifacts.id });
  return updated.length > 0;
}
