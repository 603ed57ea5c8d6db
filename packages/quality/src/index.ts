export {
  calculateQualityMetrics,
  type ConvergenceQuality,
  type MetricsPointInput,
  type QualityMetrics,
} from "./quality";
