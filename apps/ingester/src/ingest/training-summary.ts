import { asc, eq } from "drizzle-orm";

import {
  type Database,
  metricsPoints,
  type QualityMetricsRecord,
  type TrainingJob,
  type TrainingSummary,
} from "@mad/db";
import { calculateQualityMetrics } from "@mad/quality";

/** The job's loss history in training order, scored (SPEC §5), and its training summary (§3). */
export async function scoreTrainingJob(
  db: Database,
  job: TrainingJob,
): Promise<{ quality: QualityMetricsRecord; summary: TrainingSummary }> {
  const points = await db
    .select({
      training_loss: metricsPoints.trainingLoss,
      validation_loss: metricsPoints.validationLoss,
      step: metricsPoints.step,
      epoch: metricsPoints.epoch,
    })
    .from(metricsPoints)
    .where(eq(metricsPoints.jobId, job.id))
    .orderBy(asc(metricsPoints.step));
  const quality = calculateQualityMetrics(points);
  const lastPoint = points.at(-1);
  const durationHours =
    job.startedAt && job.completedAt
      ? Math.round(((job.completedAt.getTime() - job.startedAt.getTime()) / 3_600_000) * 100) / 100
      : null;
  const epochsFromHyperparameters = job.hyperparameters.epochs;
  return {
    quality,
    summary: {
      epochs_completed:
        job.currentEpoch ??
        (typeof epochsFromHyperparameters === "number" ? epochsFromHyperparameters : null) ??
        (lastPoint?.epoch == null ? null : Math.round(lastPoint.epoch)),
      total_steps: job.currentStep ?? lastPoint?.step ?? null,
      final_loss: quality.final_training_loss,
      training_duration_hours: durationHours,
      total_cost: job.finalCost ?? null,
    },
  };
}
