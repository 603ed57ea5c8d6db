/** How artifact rows become the API's output: snake_case, ISO timestamps, no storage paths. */
import type { ArtifactFile, ModelArtifact } from "@mad/db";

import { iso } from "../timestamps";

/** Copy progress of an artifact being ingested; null once it is stored or has failed. */
export function progressOf(row: Pick<ModelArtifact, "status" | "bytesCopied" | "bytesTotal">) {
  if (row.status !== "processing") return null;
  return {
    bytes_copied: row.bytesCopied,
    bytes_total: row.bytesTotal,
    percent: row.bytesTotal
      ? Math.min(100, Math.floor((row.bytesCopied / row.bytesTotal) * 100))
      : null,
  };
}

/** A file as a user sees it: its storage path is internal. */
export function publicFile(file: ArtifactFile) {
  return {
    name: file.name,
    size_bytes: file.size_bytes,
    sha256: file.sha256,
    content_type: file.content_type,
  };
}

type SummaryRow = Pick<
  ModelArtifact,
  | "id"
  | "name"
  | "version"
  | "status"
  | "qualityMetrics"
  | "trainingSummary"
  | "createdAt"
  | "storedAt"
  | "bytesCopied"
  | "bytesTotal"
  | "failureReason"
>;

/** The fields a model has both in the list and on its own page. */
export function artifactSummary(row: SummaryRow) {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    status: row.status,
    quality_metrics: row.qualityMetrics,
    training_summary: row.trainingSummary,
    created_at: iso(row.createdAt),
    stored_at: iso(row.storedAt),
    progress: progressOf(row),
    failure_reason: row.status === "failed" ? row.failureReason : null,
  };
}
