/** Shapes of the jsonb columns (SPEC §3, §5). */

export interface QualityMetricsRecord {
  overall_score: 1 | 2 | 3 | 4 | 5 | null;
  convergence_quality: "excellent" | "good" | "fair" | "poor" | "overfit" | "unknown";
  final_training_loss: number | null;
  final_validation_loss: number | null;
  perplexity: number | null;
  loss_reduction_percent: number | null;
}

export interface TrainingSummary {
  epochs_completed: number | null;
  total_steps: number | null;
  final_loss: number | null;
  training_duration_hours: number | null;
  total_cost: number | null;
}

export interface ArtifactConfiguration {
  preset_id: string;
  hyperparameters: Record<string, unknown>;
  gpu_config: { type: string; count: number } | null;
}

export interface ModelMetadata {
  base_model: string;
  adapter_type: string;
  [extra: string]: unknown;
}

export interface ArtifactFile {
  name: string;
  storage_path: string;
  size_bytes: number;
  sha256: string;
  content_type: string;
  /**
   * CRC-32 of the stored bytes (unsigned 32-bit), recorded at ingest next to sha256 so a ZIP of
   * the model can be laid out — and any byte range of it served — without reading the files.
   * Absent on artifacts stored before it was recorded (filled in on first need).
   */
  crc32?: number;
}

export interface NotificationMetadata {
  artifact_id?: string;
  job_id?: string;
  [extra: string]: unknown;
}

/**
 * What an adapter's own files say (adapter_config.json and the safetensors header), as
 * @mad/adapters reads them; stored in model_artifacts.adapter_facts.
 */
export type { AdapterFacts as AdapterFactsRecord } from "@mad/adapters";
