import { and, eq, sql } from "drizzle-orm";

import { modelArtifacts, notifications } from "../schema";
import { ingestionFailedNotice } from "./notices";
import type { Queryable } from "./queryable";

/**
 * processing → failed, with one `ingestion_failed` notice (the transition happens once per
 * failure episode). The artifact then waits for retryFailedIngestion; the trigger and the sweep
 * leave it alone. Returns false when the artifact was not processing (nothing changed).
 */
export async function failIngestion(
  db: Queryable,
  artifactId: string,
  reason: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [failed] = await tx
      .update(modelArtifacts)
      .set({ status: "failed", failureReason: reason, updatedAt: sql`now()` })
      .where(and(eq(modelArtifacts.id, artifactId), eq(modelArtifacts.status, "processing")))
      .returning({
        userId: modelArtifacts.userId,
        jobId: modelArtifacts.jobId,
        name: modelArtifacts.name,
      });
    if (!failed) return false;
    await tx
      .insert(notifications)
      .values(ingestionFailedNotice({ id: artifactId, ...failed, reason }));
    return true;
  });
}
