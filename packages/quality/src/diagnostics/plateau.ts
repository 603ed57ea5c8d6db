/**
 * A plateau at the end: the last stretch of training in which the smoothed training loss stayed
 * inside a narrow band — steps (and money) that bought no improvement.
 */
import { type LossSeries, magnitude, percentOf } from "./series";
import { PLATEAU_BAND, PLATEAU_MIN_POINTS, PLATEAU_MIN_SHARE } from "./thresholds";

export interface Plateau {
  start_step: number;
  end_step: number;
  wasted_steps: number;
  /** wasted_steps as a share of all steps, in percent. */
  wasted_percent: number;
  /** How much the smoothed training loss fell before the plateau, in percent of its start. */
  improvement_before_percent: number | null;
  /** Its change across the plateau, in percent (within ±PLATEAU_BAND); null for a loss of 0. */
  change_during_percent: number | null;
}

export function findPlateau(series: LossSeries): Plateau | null {
  const { smoothed, firstStep, lastStep } = series;
  if (smoothed.length < PLATEAU_MIN_POINTS || firstStep === null || lastStep === null) return null;
  const totalSteps = lastStep - firstStep;
  if (totalSteps <= 0) return null;

  // Walk back from the end while the stretch still fits in the band around its first value.
  let low = smoothed.at(-1)!.loss;
  let high = low;
  let start = smoothed.length - 1;
  for (let i = smoothed.length - 2; i >= 0; i -= 1) {
    const loss = smoothed[i]!.loss;
    const nextLow = Math.min(low, loss);
    const nextHigh = Math.max(high, loss);
    if (nextHigh - nextLow > PLATEAU_BAND * magnitude(loss)) break;
    low = nextLow;
    high = nextHigh;
    start = i;
  }
  const points = smoothed.length - start;
  const startPoint = smoothed[start]!;
  const wasted = lastStep - startPoint.step;
  if (points < PLATEAU_MIN_POINTS || wasted < PLATEAU_MIN_SHARE * totalSteps) return null;
  const first = smoothed[0]!.loss;
  const end = smoothed.at(-1)!.loss;
  return {
    start_step: startPoint.step,
    end_step: lastStep,
    wasted_steps: wasted,
    wasted_percent: (wasted / totalSteps) * 100,
    improvement_before_percent: percentOf(first - startPoint.loss, first),
    change_during_percent: percentOf(end - startPoint.loss, startPoint.loss),
  };
}
