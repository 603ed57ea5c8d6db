import { and, eq, isNull, sql } from "drizzle-orm";

import { datasets, modelArtifacts, type TrainingJob, trainingJobs } from "../schema";
import type { ArtifactConfiguration } from "../types";
import { artifactIdForJob, artifactName } from "./identity";
import type { Queryable } from "./queryable";

export type BeginIngestionResult =
  | {
      status: "started";
      artifactId: string;
      /** 1 for the first attempt of this episode's row, counting up across retries. */
      attempt: number;
      job: TrainingJob;
      datasetName: string;
      name: string;
    }
  | { status: "skipped"; artifactId: string; reason: string };

/**
 * (none) | processing → processing. Re-checks that the job needs an artifact, then creates its
 * row `processing` (or counts one more attempt on it). A `stored` artifact stays stored, a
 * `failed` one waits for retryFailedIngestion (a stale queue entry must not revive it), a
 * deleted one is never ingested again. Safe to call from attempts that overlap: the job row's
 * lock makes them take turns (without it, the loser of two concurrent inserts trips the unique
 * index on job_id, which ON CONFLICT (id) does not arbitrate).
 */
export async function beginIngestion(
  db: Queryable,
  trainingJobId: string,
  options: { at?: Date } = {},
): Promise<BeginIngestionResult> {
  const artifactId = artifactIdForJob(trainingJobId);
  const skip = (reason: string) => ({ status: "skipped" as const, artifactId, reason });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ job: trainingJobs, datasetName: datasets.name })
      .from(trainingJobs)
      .innerJoin(datasets, eq(datasets.id, trainingJobs.datasetId))
      .where(eq(trainingJobs.id, trainingJobId))
      .for("update", { of: trainingJobs });
    if (!row) return skip("training job does not exist");
    const { job } = row;
    if (job.status !== "completed") return skip(`training job is ${job.status}`);
    if (job.artifactId !== null) return skip("training job already has its artifact");
    if (!job.externalJobId) return skip("training job has no external_job_id");

    const name = artifactName(row.datasetName, job.completedAt ?? options.at ?? new Date());
    const configuration: ArtifactConfiguration = {
      preset_id: job.presetId,
      hyperparameters: job.hyperparameters,
      gpu_config: job.gpuConfig ?? null,
    };
    const at = options.at ?? sql`now()`;
    const upserted = await tx
      .insert(modelArtifacts)
      .values({
        id: artifactId,
        userId: job.userId,
        jobId: job.id,
        datasetId: job.datasetId,
        name,
        // Its place in the model line, from the jobs alone (docs/decisions/0020).
        version: sql`artifact_line_version(${job.id})`,
        status: "processing",
        configuration,
        ingestionAttempts: 1,
        bytesCopied: 0,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoUpdate({
        target: modelArtifacts.id,
        set: {
          name,
          configuration,
          ingestionAttempts: sql`${modelArtifacts.ingestionAttempts} + 1`,
          bytesCopied: 0,
          bytesTotal: null,
          updatedAt: at,
        },
        setWhere: and(eq(modelArtifacts.status, "processing"), isNull(modelArtifacts.deletedAt)),
      })
      .returning({ attempt: modelArtifacts.ingestionAttempts });
    const started = upserted[0];
    if (!started) {
      const [existing] = await tx
        .select({ status: modelArtifacts.status, deletedAt: modelArtifacts.deletedAt })
        .from(modelArtifacts)
        .where(eq(modelArtifacts.id, artifactId));
      if (existing?.deletedAt) return skip("the user deleted this model");
      return skip(`artifact is already ${existing?.status ?? "gone"}`);
    }
    return {
      status: "started" as const,
      artifactId,
      attempt: started.attempt,
      job,
      datasetName: row.datasetName,
      name,
    };
  });
}
