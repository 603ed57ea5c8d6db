/**
 * Divergence (the training loss ends far above its best, or ends in NaN/Infinity) and
 * instability (sudden spikes, stretches of NaN/Infinity) in the training loss.
 */
import {
  indexOfMinimum,
  type LossSeries,
  type NonFiniteRun,
  percentOf,
  type SeriesPoint,
} from "./series";
import {
  DIVERGENCE_RATIO,
  SPIKE_MIN_HISTORY,
  SPIKE_RATIO,
  SPIKE_WINDOW,
  SPIKES_LISTED,
} from "./thresholds";

export interface Divergence {
  /** The first step after the minimum at which the loss was DIVERGENCE_RATIO× the minimum or worse, or the first NaN of the run that ends training. */
  step: number;
  /** The smoothed minimum; null when no training loss was ever finite. */
  min_step: number | null;
  min_loss: number | null;
  /** The last finite smoothed loss. */
  final_loss: number | null;
  /** final_loss / min_loss; null when training ended in NaN/Infinity (or it overflows). */
  ratio: number | null;
  ended_non_finite: boolean;
}

export interface Spike {
  step: number;
  loss: number;
  /** Median of the finite losses just before it. */
  baseline: number;
}

export interface Instability {
  spikes: Spike[];
  spike_count: number;
  non_finite_runs: NonFiniteRun[];
  non_finite_points: number;
  non_finite_validation_points: number;
}

export function findDivergence(series: LossSeries): Divergence | null {
  const { smoothed, trainingRuns, lastStep } = series;
  const minIndex = indexOfMinimum(smoothed);
  const lastRun = trainingRuns.at(-1);
  const lastFiniteStep = series.training.at(-1)?.step ?? null;
  const endedNonFinite =
    lastRun !== undefined &&
    lastRun.end_step === lastStep &&
    (lastFiniteStep === null || lastFiniteStep < lastRun.start_step);
  if (minIndex === -1) {
    if (!endedNonFinite) return null;
    return {
      step: lastRun.start_step,
      min_step: null,
      min_loss: null,
      final_loss: null,
      ratio: null,
      ended_non_finite: true,
    };
  }
  const min = smoothed[minIndex]!;
  const final = smoothed.at(-1)!;
  if (endedNonFinite) {
    return {
      step: lastRun.start_step,
      min_step: min.step,
      min_loss: min.loss,
      final_loss: final.loss,
      ratio: null,
      ended_non_finite: true,
    };
  }
  // Only a positive minimum makes "n times the minimum" mean something.
  if (!(min.loss > 0) || final.loss < DIVERGENCE_RATIO * min.loss) return null;
  const first = smoothed
    .slice(minIndex + 1)
    .find((point) => point.loss >= DIVERGENCE_RATIO * min.loss)!;
  return {
    step: first.step,
    min_step: min.step,
    min_loss: min.loss,
    final_loss: final.loss,
    ratio: percentOf(final.loss, min.loss, 1),
    ended_non_finite: false,
  };
}

/** The median of a small window; `scratch` is reused so the loop allocates nothing. */
function median(scratch: Float64Array, size: number): number {
  const sorted = scratch.subarray(0, size).sort();
  const middle = Math.floor(size / 2);
  return size % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function findSpikes(training: readonly SeriesPoint[]): Spike[] {
  const spikes: Spike[] = [];
  const scratch = new Float64Array(SPIKE_WINDOW);
  for (let i = SPIKE_MIN_HISTORY; i < training.length; i += 1) {
    const from = Math.max(0, i - SPIKE_WINDOW);
    for (let j = from; j < i; j += 1) scratch[j - from] = training[j]!.loss;
    const baseline = median(scratch, i - from);
    const point = training[i]!;
    if (baseline > 0 && point.loss >= SPIKE_RATIO * baseline) {
      spikes.push({ step: point.step, loss: point.loss, baseline });
    }
  }
  return spikes;
}

export function findInstability(series: LossSeries): Instability {
  const spikes = findSpikes(series.training);
  return {
    spikes: spikes.slice(0, SPIKES_LISTED),
    spike_count: spikes.length,
    non_finite_runs: series.trainingRuns.slice(0, SPIKES_LISTED),
    non_finite_points: series.trainingRuns.reduce((sum, run) => sum + run.points, 0),
    non_finite_validation_points: series.nonFiniteValidation,
  };
}
