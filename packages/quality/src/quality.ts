/**
 * Scores a fine-tuned model from its metrics history (SPEC §5). Pure: no I/O, no clock, no
 * randomness, so the ingester, the API and tests all get the same answer for the same points.
 */

import {
  BELOW_BANDS,
  type ConvergenceQuality,
  OVERFIT_GAP,
  OVERFIT_SCORE_FLOOR,
  reductionBand,
} from "./bands";

export interface MetricsPointInput {
  training_loss: number | null;
  validation_loss: number | null;
  // Points usually carry step, epoch, timestamp…; they are ignored here.
  [extra: string]: unknown;
}

export interface QualityMetrics {
  overall_score: 1 | 2 | 3 | 4 | 5 | null;
  convergence_quality: ConvergenceQuality;
  final_training_loss: number | null;
  final_validation_loss: number | null;
  perplexity: number | null;
  loss_reduction_percent: number | null;
}

function finiteOrNull(value: unknown): number | null {
  // `+ 0` turns -0 into 0, so the stored JSON equals what was computed.
  return typeof value === "number" && Number.isFinite(value) ? value + 0 : null;
}

export function calculateQualityMetrics(
  points: ReadonlyArray<Readonly<MetricsPointInput>>,
): QualityMetrics {
  const trainingLosses: number[] = [];
  let finalValidationLoss: number | null = null;
  for (const point of points) {
    const training = finiteOrNull(point.training_loss);
    if (training !== null) trainingLosses.push(training);
    // Validation is logged only every N steps: the last finite one wins, even when later
    // points carry none.
    const validation = finiteOrNull(point.validation_loss);
    if (validation !== null) finalValidationLoss = validation;
  }

  const initialTrainingLoss = trainingLosses[0] ?? null;
  const finalTrainingLoss = trainingLosses.at(-1) ?? null;
  const perplexity =
    finalValidationLoss === null ? null : finiteOrNull(Math.exp(finalValidationLoss));

  const unrated: QualityMetrics = {
    overall_score: null,
    convergence_quality: "unknown",
    final_training_loss: finalTrainingLoss,
    final_validation_loss: finalValidationLoss,
    perplexity,
    loss_reduction_percent: null,
  };
  if (
    trainingLosses.length < 2 ||
    initialTrainingLoss === null ||
    finalTrainingLoss === null ||
    initialTrainingLoss <= 0
  ) {
    return unrated;
  }

  const rawReduction = ((initialTrainingLoss - finalTrainingLoss) / initialTrainingLoss) * 100;
  // A subnormal initial loss can overflow the ratio to -Infinity; the loss still clearly went
  // up (1 star), but the percentage itself is not a number we can report.
  const reduction = finiteOrNull(rawReduction);
  const band = reductionBand(rawReduction);
  let score: 1 | 2 | 3 | 4 | 5 = band?.score ?? BELOW_BANDS.score;
  let quality: ConvergenceQuality = band?.quality ?? BELOW_BANDS.quality;

  if (finalValidationLoss !== null && finalValidationLoss - finalTrainingLoss > OVERFIT_GAP) {
    quality = "overfit";
    // One star off, never below the floor, and never a raise: 1 stays 1, 2 stays 2.
    if (score > OVERFIT_SCORE_FLOOR) score = (score - 1) as 2 | 3 | 4;
  }

  return {
    ...unrated,
    overall_score: score,
    convergence_quality: quality,
    loss_reduction_percent: reduction,
  };
}
