/**
 * The step to ship: where the validation loss was lowest — or, without validation, where the
 * smoothed training loss was (the raw one is too noisy to pick a step by).
 */
import { indexOfMinimum, type LossSeries } from "./series";

export interface BestStep {
  step: number;
  /** The loss it is best by (validation, or smoothed training). */
  loss: number;
  source: "validation" | "smoothed_training";
  /** That same loss at the end of training, for comparison. */
  final_loss: number;
  /** Steps trained after the best one. */
  steps_after: number;
}

export function findBestStep(series: LossSeries): BestStep | null {
  const source = series.validation.length > 0 ? "validation" : "smoothed_training";
  const points = source === "validation" ? series.validation : series.smoothed;
  const index = indexOfMinimum(points);
  if (index === -1) return null;
  const best = points[index]!;
  const last = points.at(-1)!;
  return {
    step: best.step,
    loss: best.loss,
    source,
    final_loss: last.loss,
    steps_after: (series.lastStep ?? best.step) - best.step,
  };
}
