/**
 * models.compare: 2–4 of the caller's models side by side — each one's facts, quality verdict,
 * summary metrics and downsampled loss history with its epoch boundaries (so the chart can align
 * curves by step or by epoch), and the configuration diff across them. If any id is not the
 * caller's live model the whole query answers NOT_FOUND, exactly as models.byId would for it.
 */
import { or } from "drizzle-orm";

import { datasets, modelArtifacts, trainingJobs } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { downsampleLossCurve } from "../../downsample";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { configurationDiff } from "./configuration-diff";
import { epochBoundaries } from "./epoch-boundaries";
import { type CompareInput, compareInput } from "./inputs";
import { diagnoseHistory, lossHistory } from "./metrics";
import { notFound, owned } from "./ownership";
import { withDatasetAndJob } from "./with-dataset-and-job";

export async function compareModels(ctx: AuthenticatedContext, input: CompareInput) {
  const rows = await withDatasetAndJob(
    ctx.db
      .select({
        artifact: {
          id: modelArtifacts.id,
          name: modelArtifacts.name,
          status: modelArtifacts.status,
          qualityMetrics: modelArtifacts.qualityMetrics,
          trainingSummary: modelArtifacts.trainingSummary,
          configuration: modelArtifacts.configuration,
          adapterFacts: modelArtifacts.adapterFacts,
          createdAt: modelArtifacts.createdAt,
          storedAt: modelArtifacts.storedAt,
        },
        dataset: { id: datasets.id, name: datasets.name },
        job: { id: trainingJobs.id, completedAt: trainingJobs.completedAt },
      })
      .from(modelArtifacts)
      .$dynamic(),
    modelArtifacts,
  ).where(or(...input.modelIds.map((id) => owned(ctx, id))));
  // One missing model is enough: saying which would tell a caller that the others exist.
  if (rows.length !== input.modelIds.length) throw notFound();
  const byId = new Map(rows.map((row) => [row.artifact.id.toLowerCase(), row]));
  const ordered = input.modelIds.map((id) => {
    const row = byId.get(id.toLowerCase());
    if (row === undefined) throw notFound();
    return row;
  });

  const models = await Promise.all(
    ordered.map(async ({ artifact, dataset, job }) => {
      const history = await lossHistory(ctx.db, job.id);
      const diagnostics = diagnoseHistory(history.rows);
      return {
        id: artifact.id,
        name: artifact.name,
        status: artifact.status,
        dataset: { id: dataset.id, name: dataset.name },
        created_at: iso(artifact.createdAt),
        completed_at: iso(job.completedAt),
        stored_at: iso(artifact.storedAt),
        // Null until the model is stored: the verdict is computed at ingest.
        quality_metrics: artifact.qualityMetrics,
        training_summary: artifact.trainingSummary,
        best_step: diagnostics.best_step,
        findings: diagnostics.summary,
        loss: {
          points: downsampleLossCurve(history.points, input.maxPoints),
          total_points: history.points.length,
          epoch_boundaries: epochBoundaries(history.points),
        },
      };
    }),
  );
  return {
    models,
    configuration_diff: configurationDiff(
      ordered.map(({ artifact }) => ({
        configuration: artifact.configuration,
        adapter_facts: artifact.adapterFacts,
      })),
    ),
  };
}

export const compareModelsProcedure = protectedProcedure
  .input(compareInput)
  .query(({ ctx, input }) => compareModels(ctx, input));
