/**
 * Why a score is what it is, in plain words (SPEC §5): the loss-reduction band, and the
 * overfitting penalty when it applies. One owner for the sentences: the model page's "Why this
 * score" and the `model.ready` webhook's `verdict.reasons` both come from here, so a receiver
 * reads what the owner sees.
 */
import {
  BELOW_BANDS,
  type ConvergenceQuality,
  LOWEST_REDUCTION_BAND,
  OVERFIT_GAP,
  OVERFIT_SCORE_FLOOR,
  reductionBand,
} from "./bands";

/** The fields of `calculateQualityMetrics`' result the explanation reads. */
export interface QualityExplanationInputs {
  overall_score: number | null;
  convergence_quality: ConvergenceQuality;
  final_training_loss: number | null;
  final_validation_loss: number | null;
  loss_reduction_percent: number | null;
}

const CONVERGENCE_QUALITIES: ReadonlySet<string> = new Set<ConvergenceQuality>([
  "excellent",
  "good",
  "fair",
  "poor",
  "overfit",
  "unknown",
]);

/** A stored (jsonb) convergence quality as the type; anything else is `unknown`. */
export function asConvergenceQuality(value: unknown): ConvergenceQuality {
  return typeof value === "string" && CONVERGENCE_QUALITIES.has(value)
    ? (value as ConvergenceQuality)
    : "unknown";
}

/** The sentences, first the band (or why there is no score), then overfitting. */
export function explainQuality(metrics: QualityExplanationInputs | null): string[] {
  if (!metrics || metrics.overall_score === null || metrics.loss_reduction_percent === null) {
    return [
      "This model is not rated: its training logged fewer than two usable loss values (or a first loss that is not positive), so there is no trend to score.",
    ];
  }
  const reduction = metrics.loss_reduction_percent;
  const band = reductionBand(reduction);
  const lines: string[] = [];
  if (band) {
    lines.push(
      `Training loss fell by ${reduction.toFixed(1)} % from the first to the last step — more than ${band.above} %, which earns ${band.score} stars.`,
    );
  } else if (reduction <= 0) {
    lines.push(
      `Training loss did not fall (${reduction.toFixed(1)} % change from first to last step), which earns ${BELOW_BANDS.score} star.`,
    );
  } else {
    lines.push(
      `Training loss fell by only ${reduction.toFixed(1)} % (${LOWEST_REDUCTION_BAND.above} % or less), which earns ${BELOW_BANDS.score} star.`,
    );
  }
  const { final_training_loss: train, final_validation_loss: validation } = metrics;
  if (metrics.convergence_quality === "overfit" && train !== null && validation !== null) {
    const gap = validation - train;
    const before = band?.score ?? BELOW_BANDS.score;
    lines.push(
      before > OVERFIT_SCORE_FLOOR
        ? `Final validation loss is ${gap.toFixed(2)} above training loss (more than ${OVERFIT_GAP}): the model is overfitting, so it loses one star (${before} → ${metrics.overall_score}).`
        : `Final validation loss is ${gap.toFixed(2)} above training loss (more than ${OVERFIT_GAP}): the model is overfitting; the score stays at ${metrics.overall_score} (the penalty never goes below ${OVERFIT_SCORE_FLOOR} stars).`,
    );
  } else if (train !== null && validation !== null) {
    lines.push(
      `Validation loss ends ${(validation - train).toFixed(2)} from training loss (within ${OVERFIT_GAP}), so there is no sign of overfitting.`,
    );
  } else {
    lines.push("No validation loss was logged, so overfitting could not be checked.");
  }
  return lines;
}
