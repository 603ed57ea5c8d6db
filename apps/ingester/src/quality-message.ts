import type { QualityMetricsRecord } from "@mad/db";

/** The notification's message: names the model and its quality score (or that it is not rated). */
export function artifactReadyMessage(modelName: string, quality: QualityMetricsRecord): string {
  const score =
    quality.overall_score === null
      ? "not rated"
      : `quality ${quality.overall_score}/5 (${quality.convergence_quality})`;
  return `Your model '${modelName}' is ready — ${score}.`;
}

export function artifactName(datasetName: string, completedAt: Date): string {
  return `${datasetName} - ${completedAt.toISOString().slice(0, 10)}`;
}
