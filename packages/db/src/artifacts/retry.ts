import { sql } from "drizzle-orm";

import { type ArtifactStatus, modelArtifacts } from "../schema";
import { ownedLiveArtifact } from "./ownership";
import type { Queryable } from "./queryable";

export type RetryFailedIngestionResult =
  | { status: "retried"; artifactId: string; jobId: string; enqueued: boolean }
  | { status: "not-found" }
  | { status: "not-failed"; current: ArtifactStatus };

/**
 * failed → processing for its owner, and the job enqueued again. The transition itself is the
 * SQL function `retry_artifact_ingestion` (migration 0002), which psql users and other services
 * call too: this checks ownership and state first, then calls it — one implementation of the rule.
 */
export async function retryFailedIngestion(
  db: Queryable,
  owner: { userId: string; artifactId: string },
): Promise<RetryFailedIngestionResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: modelArtifacts.status, jobId: modelArtifacts.jobId })
      .from(modelArtifacts)
      .where(ownedLiveArtifact(owner.userId, owner.artifactId))
      .for("update");
    if (!row) return { status: "not-found" as const };
    if (row.status !== "failed") return { status: "not-failed" as const, current: row.status };
    const [result] = await tx.execute<{ enqueued: boolean }>(
      sql`select retry_artifact_ingestion(${row.jobId}::uuid) as enqueued`,
    );
    return {
      status: "retried" as const,
      artifactId: owner.artifactId,
      jobId: row.jobId,
      enqueued: result?.enqueued === true,
    };
  });
}
