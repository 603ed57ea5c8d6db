/** models.byId: the whole artifact with its dataset, job, files and ingestion state. */
import { datasets, modelArtifacts, trainingJobs } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { modelIdInput } from "./inputs";
import { artifactSummary, publicFile } from "./output";
import { notFound, owned } from "./ownership";
import { servingOf } from "./serving";
import { withDatasetAndJob } from "./with-dataset-and-job";

export async function modelById(ctx: AuthenticatedContext, id: string) {
  const [row] = await withDatasetAndJob(
    ctx.db
      .select({
        artifact: modelArtifacts,
        dataset: {
          id: datasets.id,
          name: datasets.name,
          format: datasets.format,
          totalTrainingPairs: datasets.totalTrainingPairs,
        },
        job: {
          id: trainingJobs.id,
          presetId: trainingJobs.presetId,
          createdAt: trainingJobs.createdAt,
          startedAt: trainingJobs.startedAt,
          completedAt: trainingJobs.completedAt,
        },
      })
      .from(modelArtifacts)
      .$dynamic(),
    modelArtifacts,
  )
    .where(owned(ctx, id))
    .limit(1);
  if (!row) throw notFound();
  const { artifact, dataset, job } = row;
  return {
    ...artifactSummary(artifact),
    configuration: artifact.configuration,
    model_metadata: artifact.modelMetadata,
    description: artifact.description,
    tags: artifact.tags,
    adapter_facts: artifact.adapterFacts,
    serving: servingOf(artifact),
    files: artifact.files.map(publicFile),
    total_size_bytes: artifact.totalSizeBytes,
    updated_at: iso(artifact.updatedAt),
    ingestion: {
      status: artifact.status,
      bytes_copied: artifact.bytesCopied,
      bytes_total: artifact.bytesTotal,
      failure_reason: artifact.failureReason,
      attempts: artifact.ingestionAttempts,
    },
    dataset: {
      id: dataset.id,
      name: dataset.name,
      format: dataset.format,
      total_training_pairs: dataset.totalTrainingPairs,
    },
    job: {
      id: job.id,
      preset_id: job.presetId,
      created_at: iso(job.createdAt),
      started_at: iso(job.startedAt),
      completed_at: iso(job.completedAt),
    },
  };
}

export const modelByIdProcedure = protectedProcedure
  .input(modelIdInput)
  .query(({ ctx, input }) => modelById(ctx, input.modelId));
