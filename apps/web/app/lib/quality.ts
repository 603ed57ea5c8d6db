/** How the dashboard presents SPEC §5's quality metrics; the rules themselves are @mad/quality's. */
import {
  BELOW_BANDS,
  type ConvergenceQuality,
  OVERFIT_GAP,
  OVERFIT_SCORE_FLOOR,
  REDUCTION_BANDS,
  reductionBand,
} from "@mad/quality";

export type Convergence = ConvergenceQuality;

export const CONVERGENCE_LABEL: Record<Convergence, string> = {
  excellent: "Excellent",
  good: "Good",
  fair: "Fair",
  poor: "Poor",
  overfit: "Overfit",
  unknown: "Unknown",
};

/** Every pair of text/background colours reaches WCAG AA (≥ 4.5:1) for small text. */
export const CONVERGENCE_CLASSES: Record<Convergence, string> = {
  excellent: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  good: "bg-sky-100 text-sky-900 ring-sky-300",
  fair: "bg-amber-100 text-amber-900 ring-amber-300",
  poor: "bg-orange-100 text-orange-900 ring-orange-300",
  overfit: "bg-rose-100 text-rose-900 ring-rose-300",
  unknown: "bg-slate-100 text-slate-800 ring-slate-300",
};

export function asConvergence(value: unknown): Convergence {
  return typeof value === "string" && value in CONVERGENCE_LABEL
    ? (value as Convergence)
    : "unknown";
}

export interface QualityInputs {
  overall_score: number | null;
  convergence_quality: Convergence;
  final_training_loss: number | null;
  final_validation_loss: number | null;
  loss_reduction_percent: number | null;
}

const LOWEST_BAND = REDUCTION_BANDS.at(-1)!;

/**
 * A plain-language account of why the score is what it is (SPEC §5): the loss-reduction band,
 * and the overfitting penalty when it applies.
 */
export function explainQuality(metrics: QualityInputs | null): string[] {
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
      `Training loss fell by only ${reduction.toFixed(1)} % (${LOWEST_BAND.above} % or less), which earns ${BELOW_BANDS.score} star.`,
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
