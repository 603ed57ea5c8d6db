import { and, eq, isNull, sql } from "drizzle-orm";

import { modelArtifacts, notifications, trainingJobs } from "../schema";
import type {
  AdapterFactsRecord,
  ArtifactFile,
  ModelMetadata,
  QualityMetricsRecord,
  TrainingSummary,
} from "../types";
import { artifactReadyNotice } from "./notices";
import type { Queryable } from "./queryable";

/** What an ingestion learned, recorded when the artifact becomes `stored`. */
export interface StoredArtifactFacts {
  quality: QualityMetricsRecord;
  summary: TrainingSummary;
  modelMetadata: ModelMetadata;
  /** What adapter_config.json and the safetensors header say; null when they could not be read. */
  adapterFacts?: AdapterFactsRecord | null;
  /** Every file, verified and stored in the artifact's folder. */
  files: ArtifactFile[];
  at?: Date;
}

export type CompleteIngestionResult =
  /** processing → stored, the job linked and the user told: all in this one transaction. */
  | "stored"
  /** A parallel attempt stored it first: its result is this one's. */
  | "already-linked"
  /** Its owner deleted it meanwhile: nothing is linked or announced; its files must go. */
  | "deleted"
  /** The job left `completed` (it was not finished after all): the row is withdrawn. */
  | "job-changed"
  /** Another service linked the job to an artifact of its own: the row is withdrawn. */
  | "superseded";

/** The artifact is in no state this transition can start from (a bug, or a row changed by hand). */
export class ArtifactStateError extends Error {
  override readonly name = "ArtifactStateError";
}

/**
 * processing → stored, in ONE transaction with the job's link and the `artifact_ready` notice
 * (SPEC §4) — or, when the job changed meanwhile, the attempt's row is withdrawn so that nothing
 * half-done stays visible; the trigger enqueues the job again if it becomes completed and
 * unlinked once more. The job row's lock orders this against every other attempt on the job.
 * On "deleted", "job-changed" and "superseded" the caller removes the files it wrote.
 */
export async function completeIngestion(
  db: Queryable,
  ids: { artifactId: string; jobId: string },
  facts: StoredArtifactFacts,
): Promise<CompleteIngestionResult> {
  const { artifactId, jobId } = ids;
  return db.transaction(async (tx): Promise<CompleteIngestionResult> => {
    const [job] = await tx
      .select({ status: trainingJobs.status, artifactId: trainingJobs.artifactId })
      .from(trainingJobs)
      .where(eq(trainingJobs.id, jobId))
      .for("update");
    if (job?.artifactId === artifactId) return "already-linked";
    if (!job) throw new ArtifactStateError("the training job no longer exists");
    if (job.status !== "completed" || job.artifactId !== null) {
      await tx
        .delete(modelArtifacts)
        .where(
          and(
            eq(modelArtifacts.id, artifactId),
            eq(modelArtifacts.status, "processing"),
            isNull(modelArtifacts.deletedAt),
          ),
        );
      return job.status !== "completed" ? "job-changed" : "superseded";
    }

    const totalSize = facts.files.reduce((sum, file) => sum + file.size_bytes, 0);
    const at = facts.at ?? sql`now()`;
    const [stored] = await tx
      .update(modelArtifacts)
      .set({
        status: "stored",
        qualityMetrics: facts.quality,
        trainingSummary: facts.summary,
        modelMetadata: facts.modelMetadata,
        adapterFacts: facts.adapterFacts ?? null,
        artifacts: Object.fromEntries(facts.files.map((file) => [file.name, file.storage_path])),
        files: facts.files,
        totalSizeBytes: totalSize,
        bytesCopied: totalSize,
        bytesTotal: totalSize,
        failureReason: null,
        storedAt: at,
        updatedAt: at,
      })
      .where(
        and(
          eq(modelArtifacts.id, artifactId),
          eq(modelArtifacts.status, "processing"),
          isNull(modelArtifacts.deletedAt),
        ),
      )
      .returning({ userId: modelArtifacts.userId, name: modelArtifacts.name });
    if (!stored) {
      const [row] = await tx
        .select({ deletedAt: modelArtifacts.deletedAt, status: modelArtifacts.status })
        .from(modelArtifacts)
        .where(eq(modelArtifacts.id, artifactId));
      if (row?.deletedAt) return "deleted";
      throw new ArtifactStateError(`artifact is ${row?.status ?? "gone"}, not processing`);
    }
    await tx
      .update(trainingJobs)
      .set({ artifactId })
      .where(and(eq(trainingJobs.id, jobId), isNull(trainingJobs.artifactId)));
    await tx
      .insert(notifications)
      .values(
        artifactReadyNotice({
          id: artifactId,
          userId: stored.userId,
          jobId,
          name: stored.name,
          quality: facts.quality,
        }),
      )
      // Exactly one "model ready" per job: the unique index notifications_artifact_ready_job_key
      // is the only one such an insert can meet.
      .onConflictDoNothing();
    return "stored";
  });
}
