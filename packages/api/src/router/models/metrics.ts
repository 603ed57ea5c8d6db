/**
 * models.metrics: the model's loss history, downsampled for the chart (see ../../downsample), and
 * the training diagnostics (@mad/quality) over the whole history — NaN and Infinity included,
 * since a run of them is itself a finding.
 */
import { eq } from "drizzle-orm";

import { metricsPoints, modelArtifacts } from "@mad/db";
import { diagnoseTraining } from "@mad/quality";

import type { AuthenticatedContext } from "../../context";
import { downsampleLossCurve, type LossPoint } from "../../downsample";
import { protectedProcedure } from "../../trpc";
import { type MetricsInput, metricsInput } from "./inputs";
import { notFound, owned } from "./ownership";

const finiteOrNull = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;

export async function modelMetrics(ctx: AuthenticatedContext, input: MetricsInput) {
  const [artifact] = await ctx.db
    .select({ jobId: modelArtifacts.jobId })
    .from(modelArtifacts)
    .where(owned(ctx, input.modelId))
    .limit(1);
  if (!artifact) throw notFound();
  const rows = await ctx.db
    .select({
      step: metricsPoints.step,
      epoch: metricsPoints.epoch,
      trainingLoss: metricsPoints.trainingLoss,
      validationLoss: metricsPoints.validationLoss,
    })
    .from(metricsPoints)
    .where(eq(metricsPoints.jobId, artifact.jobId))
    .orderBy(metricsPoints.step);
  const diagnostics = diagnoseTraining(
    rows.map((row) => ({
      step: row.step,
      training_loss: row.trainingLoss,
      validation_loss: row.validationLoss,
    })),
  );
  // NaN/Infinity (double precision allows them) are missing values, as in the quality score.
  const points: LossPoint[] = rows.map((row) => ({
    step: row.step,
    epoch: finiteOrNull(row.epoch),
    training_loss: finiteOrNull(row.trainingLoss),
    validation_loss: finiteOrNull(row.validationLoss),
  }));
  return {
    points: downsampleLossCurve(points, input.maxPoints),
    total_points: points.length,
    diagnostics,
  };
}

export const modelMetricsProcedure = protectedProcedure
  .input(metricsInput)
  .query(({ ctx, input }) => modelMetrics(ctx, input));
