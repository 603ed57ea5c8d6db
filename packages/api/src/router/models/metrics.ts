/**
 * models.metrics: the model's loss history, downsampled for the chart (see ../../downsample), and
 * the training diagnostics (@mad/quality) over the whole history — NaN and Infinity included,
 * since a run of them is itself a finding.
 */
import { eq } from "drizzle-orm";

import { type Database, metricsPoints, modelArtifacts } from "@mad/db";
import { diagnoseTraining } from "@mad/quality";

import type { AuthenticatedContext } from "../../context";
import { downsampleLossCurve, type LossPoint } from "../../downsample";
import { protectedProcedure } from "../../trpc";
import { type MetricsInput, metricsInput } from "./inputs";
import { notFound, owned } from "./ownership";

const finiteOrNull = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;

/**
 * A job's whole loss history in step order: `rows` as stored (NaN and Infinity kept, for the
 * diagnostics) and `points` with them as null (for the chart). models.compare reads it too.
 */
export async function lossHistory(db: Database, jobId: string) {
  const rows = await db
    .select({
      step: metricsPoints.step,
      epoch: metricsPoints.epoch,
      trainingLoss: metricsPoints.trainingLoss,
      validationLoss: metricsPoints.validationLoss,
    })
    .from(metricsPoints)
    .where(eq(metricsPoints.jobId, jobId))
    .orderBy(metricsPoints.step);
  // NaN/Infinity (double precision allows them) are missing values, as in the quality score.
  const points: LossPoint[] = rows.map((row) => ({
    step: row.step,
    epoch: finiteOrNull(row.epoch),
    training_loss: finiteOrNull(row.trainingLoss),
    validation_loss: finiteOrNull(row.validationLoss),
  }));
  return { rows, points };
}

/** The diagnostics (@mad/quality) over a whole stored history. */
export function diagnoseHistory(rows: Awaited<ReturnType<typeof lossHistory>>["rows"]) {
  return diagnoseTraining(
    rows.map((row) => ({
      step: row.step,
      training_loss: row.trainingLoss,
      validation_loss: row.validationLoss,
    })),
  );
}

export async function modelMetrics(ctx: AuthenticatedContext, input: MetricsInput) {
  const [artifact] = await ctx.db
    .select({ jobId: modelArtifacts.jobId })
    .from(modelArtifacts)
    .where(owned(ctx, input.modelId))
    .limit(1);
  if (!artifact) throw notFound();
  const { rows, points } = await lossHistory(ctx.db, artifact.jobId);
  return {
    points: downsampleLossCurve(points, input.maxPoints),
    total_points: points.length,
    diagnostics: diagnoseHistory(rows),
  };
}

export const modelMetricsProcedure = protectedProcedure
  .input(metricsInput)
  .query(({ ctx, input }) => modelMetrics(ctx, input));
