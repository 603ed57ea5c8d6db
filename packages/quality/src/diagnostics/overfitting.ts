/**
 * Where overfitting began: after its minimum, the validation loss rises and stays up while the
 * training loss keeps falling — the model learns the training set, not the task.
 */
import { indexOfMinimum, lossAtOrBefore, type LossSeries, magnitude, percentOf } from "./series";
import { OVERFIT_RISE_TOLERANCE, OVERFIT_TRAINING_FALL } from "./thresholds";

export interface Overfitting {
  /** The first evaluation after the minimum from which validation stays above it. */
  onset_step: number;
  best_validation_step: number;
  best_validation_loss: number;
  final_validation_loss: number;
  /** How much validation rose from its minimum to the end, in percent of the minimum. */
  /** null when the minimum is 0 (no percentage of it means anything); the same below. */
  validation_rise_percent: number | null;
  /** How the smoothed training loss changed over the same steps, in percent (negative: fell). */
  training_change_percent: number | null;
}

export function findOverfitting(series: LossSeries): Overfitting | null {
  const { validation, smoothed } = series;
  const bestIndex = indexOfMinimum(validation);
  if (bestIndex === -1 || bestIndex === validation.length - 1) return null;
  const best = validation[bestIndex]!;
  const threshold = best.loss + OVERFIT_RISE_TOLERANCE * magnitude(best.loss);
  // The onset is the start of the trailing stretch that stays above the minimum's tolerance.
  let onsetIndex = validation.length;
  while (onsetIndex - 1 > bestIndex && validation[onsetIndex - 1]!.loss > threshold) {
    onsetIndex -= 1;
  }
  if (onsetIndex === validation.length) return null;
  const onset = validation[onsetIndex]!;
  const final = validation.at(-1)!;

  const trainingAtBest = lossAtOrBefore(smoothed, best.step);
  const trainingAtEnd = smoothed.at(-1)?.loss ?? null;
  if (trainingAtBest === null || trainingAtEnd === null) return null;
  // "Training kept falling": by at least OVERFIT_TRAINING_FALL of its value at the minimum.
  if (trainingAtEnd - trainingAtBest > -OVERFIT_TRAINING_FALL * magnitude(trainingAtBest)) {
    return null;
  }

  return {
    onset_step: onset.step,
    best_validation_step: best.step,
    best_validation_loss: best.loss,
    final_validation_loss: final.loss,
    validation_rise_percent: percentOf(final.loss - best.loss, best.loss),
    training_change_percent: percentOf(trainingAtEnd - trainingAtBest, trainingAtBest),
  };
}
