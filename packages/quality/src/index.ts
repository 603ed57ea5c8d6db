export {
  BELOW_BANDS,
  type ConvergenceQuality,
  OVERFIT_GAP,
  OVERFIT_SCORE_FLOOR,
  REDUCTION_BANDS,
  type ReductionBand,
  reductionBand,
} from "./bands";
export {
  type BestStep,
  diagnoseTraining,
  type DiagnosticsPointInput,
  type Divergence,
  type Finding,
  type Instability,
  type NonFiniteRun,
  type Overfitting,
  type Plateau,
  type Spike,
  type TrainingDiagnostics,
} from "./diagnostics/diagnose";
export * as diagnosticThresholds from "./diagnostics/thresholds";
export { asConvergenceQuality, explainQuality, type QualityExplanationInputs } from "./explain";
export { calculateQualityMetrics, type MetricsPointInput, type QualityMetrics } from "./quality";
