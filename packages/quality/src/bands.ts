/**
 * The rules of SPEC §5 as data: the loss-reduction bands, the score below them and the
 * overfitting penalty. `calculateQualityMetrics` applies them; the dashboard explains a score
 * with the same numbers, so a change here changes both.
 */

export type ConvergenceQuality = "excellent" | "good" | "fair" | "poor" | "overfit" | "unknown";

export interface ReductionBand {
  /** The training loss fell by more than this many percent… */
  above: number;
  /** …which earns this score… */
  score: 2 | 3 | 4 | 5;
  /** …and this convergence quality. */
  quality: ConvergenceQuality;
}

/** The last of the bands: at or below its threshold no band applies. */
export const LOWEST_REDUCTION_BAND: ReductionBand = { above: 5, score: 2, quality: "poor" };

/** Highest first: a reduction takes the first band it exceeds. */
export const REDUCTION_BANDS: readonly ReductionBand[] = [
  { above: 50, score: 5, quality: "excellent" },
  { above: 30, score: 4, quality: "good" },
  { above: 15, score: 3, quality: "fair" },
  LOWEST_REDUCTION_BAND,
];

/** A reduction no band covers (the lowest band's threshold or less, or a loss that went up). */
export const BELOW_BANDS = { score: 1, quality: "poor" } as const satisfies {
  score: 1;
  quality: ConvergenceQuality;
};

/** Gap between final validation and final training loss above which a model is overfit. */
export const OVERFIT_GAP = 0.5;

/** The overfitting penalty takes one star, but never a score to or below this one. */
export const OVERFIT_SCORE_FLOOR = 2;

/** The band a loss reduction (in percent) falls into, or undefined below the lowest band. */
export function reductionBand(reductionPercent: number): ReductionBand | undefined {
  return REDUCTION_BANDS.find((band) => reductionPercent > band.above);
}
