import { and, eq, sql } from "drizzle-orm";

import { modelArtifacts } from "../schema";
import type { Queryable } from "./queryable";

const processing = (artifactId: string) =>
  and(eq(modelArtifacts.id, artifactId), eq(modelArtifacts.status, "processing"));

/** processing → processing: how far the copy is (shown on the card and the page). */
export async function recordIngestionProgress(
  db: Queryable,
  artifactId: string,
  bytesCopied: number,
  bytesTotal: number | null,
): Promise<void> {
  await db
    .update(modelArtifacts)
    .set({ bytesCopied, bytesTotal, updatedAt: sql`now()` })
    .where(processing(artifactId));
}

/** processing → processing: an attempt failed and another will follow; the reason is shown meanwhile. */
export async function recordAttemptFailure(
  db: Queryable,
  artifactId: string,
  reason: string,
): Promise<void> {
  await db
    .update(modelArtifacts)
    .set({ failureReason: reason, updatedAt: sql`now()` })
    .where(processing(artifactId));
}
