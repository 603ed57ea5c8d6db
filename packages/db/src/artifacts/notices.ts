import type { NewNotification } from "../schema";
import type { QualityMetricsRecord } from "../types";

/** The link of every notice about an artifact: its page in the dashboard. */
export function artifactPageUrl(artifactId: string): string {
  return `/models/${artifactId}`;
}

/** SPEC §4: the "model ready" notice names the model and its quality score. */
export function artifactReadyNotice(artifact: {
  id: string;
  userId: string;
  jobId: string;
  name: string;
  quality: QualityMetricsRecord;
}): NewNotification {
  const score =
    artifact.quality.overall_score === null
      ? "not rated"
      : `quality ${artifact.quality.overall_score}/5 (${artifact.quality.convergence_quality})`;
  return {
    userId: artifact.userId,
    type: "artifact_ready",
    title: "Model Ready for Download",
    message: `Your model '${artifact.name}' is ready — ${score}.`,
    priority: "high",
    actionUrl: artifactPageUrl(artifact.id),
    metadata: { artifact_id: artifact.id, job_id: artifact.jobId },
  };
}

/** The notice of an ingestion that failed for good (one per failure episode). */
export function ingestionFailedNotice(artifact: {
  id: string;
  userId: string;
  jobId: string;
  name: string;
  reason: string;
}): NewNotification {
  return {
    userId: artifact.userId,
    type: "ingestion_failed",
    title: "Model could not be stored",
    message: `Your model '${artifact.name}' could not be stored: ${artifact.reason}`,
    priority: "normal",
    actionUrl: artifactPageUrl(artifact.id),
    metadata: { artifact_id: artifact.id, job_id: artifact.jobId },
  };
}
