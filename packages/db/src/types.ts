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
 * @mad/adapters reads them. `facts_version` changes when the shape does.
 */
export interface AdapterFactsRecord {
  facts_version: 1;
  peft_type: string | null;
  task_type: string | null;
  base_model: string;
  rank: number;
  alpha: number;
  /** The largest rank of any module (`r` and every `rank_pattern` override). */
  max_rank: number;
  rank_pattern: Record<string, number>;
  alpha_pattern: Record<string, number>;
  /** The update's scale: alpha / rank, or alpha / √rank with rsLoRA. */
  scaling: number;
  /** Module names; a single string in the config is a regular expression (`target_modules_regex`). */
  target_modules: string[];
  target_modules_regex: string | null;
  modules_to_save: string[];
  use_dora: boolean;
  use_rslora: boolean;
  bias: string;
  /** Other PEFT options that change how the adapter loads (e.g. "lora_bias", "init_lora_weights=pissa"). */
  other_features: string[];
  tensors: {
    count: number;
    /** Elements of the adapter's own tensors (LoRA A/B, DoRA magnitudes, saved modules). */
    parameter_count: number;
    /** dtype → number of tensors. */
    dtypes: Record<string, number>;
    lora: number;
    dora_magnitude: number;
    /** Whole modules saved with the adapter (`modules_to_save`), by name (at most 20). */
    saved_modules: string[];
    /** Tensors that are none of the above, by name (at most 20), and how many in all. */
    other: string[];
    other_count: number;
    /** Distinct `layers.{i}` the adapter touches; null when the names carry none. */
    layers: number | null;
  };
  /** Labels of a classification head saved with the adapter (rows of `score` / `classifier`). */
  num_labels: number | null;
}
