export { calculateQualityMetrics, type MetricsPointInput, type QualityMetrics } from "./quality";
export {
  BELOW_BANDS,
  type ConvergenceQuality,
  OVERFIT_GAP,
  OVERFIT_SCORE_FLOOR,
  REDUCTION_BANDS,
  reductionBand,
  type ReductionBand,
} from "./bands";
