/** The loss series the diagnostics work on: ordered by step, finite values only, smoothed. */
import { smoothingHalfWidth } from "./thresholds";

export interface DiagnosticsPointInput {
  step: number;
  training_loss: number | null;
  validation_loss: number | null;
  [extra: string]: unknown;
}

export interface SeriesPoint {
  step: number;
  loss: number;
}

/** A stretch of consecutive logged points whose loss was NaN or ±Infinity. */
export interface NonFiniteRun {
  start_step: number;
  end_step: number;
  points: number;
}

export interface LossSeries {
  training: SeriesPoint[];
  validation: SeriesPoint[];
  /** Centred moving average of `training` (same steps). */
  smoothed: SeriesPoint[];
  trainingRuns: NonFiniteRun[];
  nonFiniteValidation: number;
  firstStep: number | null;
  lastStep: number | null;
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);
/** A value that was logged but is not a number we can use (NaN, ±Infinity). */
const isNonFinite = (value: unknown): boolean =>
  typeof value === "number" && !Number.isFinite(value);

export function buildSeries(points: ReadonlyArray<Readonly<DiagnosticsPointInput>>): LossSeries {
  const withStep = points.filter((point) => isFiniteNumber(point.step));
  // Histories usually arrive in step order (the API reads them so): sort only when they do not.
  // Array sort is stable, so points of one step keep the order they were logged in.
  const sorted = withStep.every((point, i) => i === 0 || withStep[i - 1]!.step <= point.step);
  const ordered = sorted ? withStep : [...withStep].sort((a, b) => a.step - b.step);

  const training: SeriesPoint[] = [];
  const validation: SeriesPoint[] = [];
  const trainingRuns: NonFiniteRun[] = [];
  let nonFiniteValidation = 0;
  let open: NonFiniteRun | null = null;
  for (const point of ordered) {
    const step = point.step + 0;
    if (isFiniteNumber(point.training_loss)) {
      training.push({ step, loss: point.training_loss + 0 });
      open = null;
    } else if (isNonFinite(point.training_loss)) {
      if (open) {
        open.end_step = step;
        open.points += 1;
      } else {
        open = { start_step: step, end_step: step, points: 1 };
        trainingRuns.push(open);
      }
    }
    if (isFiniteNumber(point.validation_loss)) {
      validation.push({ step, loss: point.validation_loss + 0 });
    } else if (isNonFinite(point.validation_loss)) {
      nonFiniteValidation += 1;
    }
  }
  return {
    training,
    validation,
    smoothed: movingAverage(training),
    trainingRuns,
    nonFiniteValidation,
    firstStep: ordered[0]?.step ?? null,
    lastStep: ordered.at(-1)?.step ?? null,
  };
}

/** Centred moving average, the window cut short at both ends (no invented values). */
export function movingAverage(series: readonly SeriesPoint[]): SeriesPoint[] {
  const half = smoothingHalfWidth(series.length);
  if (half === 0) return series.map((point) => ({ ...point }));
  const prefix = [0];
  for (const point of series) prefix.push(prefix.at(-1)! + point.loss);
  return series.map((point, index) => {
    const from = Math.max(0, index - half);
    const to = Math.min(series.length, index + half + 1);
    return { step: point.step, loss: (prefix[to]! - prefix[from]!) / (to - from) };
  });
}

/** Index of the first lowest loss; -1 for an empty series. */
export function indexOfMinimum(series: readonly SeriesPoint[]): number {
  let best = -1;
  for (let i = 0; i < series.length; i += 1) {
    if (best === -1 || series[i]!.loss < series[best]!.loss) best = i;
  }
  return best;
}

/** The smoothed training loss at (or just before) a step; null before the first point. */
export function lossAtOrBefore(series: readonly SeriesPoint[], step: number): number | null {
  let found: number | null = null;
  for (const point of series) {
    if (point.step > step) break;
    found = point.loss;
  }
  return found;
}

/**
 * `part / whole` × `scale` when that is a finite number; null when the whole is 0 or so small
 * that the quotient overflows (a percentage of a loss of 0 means nothing).
 */
export function percentOf(part: number, whole: number, scale = 100): number | null {
  const value = (part / Math.abs(whole)) * scale;
  return Number.isFinite(value) ? value + 0 : null;
}

/** A positive scale for relative comparisons, never 0. */
export function magnitude(loss: number): number {
  return Math.max(Math.abs(loss), Number.MIN_VALUE);
}
