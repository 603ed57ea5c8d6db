/**
 * The compare chart's series: per model, its training and validation curves with x as the step
 * or as the epoch. By epoch, points without an epoch value are left out (they have no place on
 * that axis), so runs of different lengths and batch sizes line up pass by pass.
 */
import type { SeriesPoint } from "./chart";

export type Alignment = "step" | "epoch";

interface ComparedPoint {
  step: number;
  epoch: number | null;
  training_loss: number | null;
  validation_loss: number | null;
}

export interface ModelSeries {
  training: SeriesPoint[];
  validation: SeriesPoint[];
}

/** `step` in SeriesPoint is the x value: a step, or an epoch when aligned by epoch. */
export function compareSeries(points: readonly ComparedPoint[], align: Alignment): ModelSeries {
  const series: ModelSeries = { training: [], validation: [] };
  for (const point of points) {
    const x = align === "epoch" ? point.epoch : point.step;
    if (x === null || !Number.isFinite(x)) continue;
    if (point.training_loss !== null && Number.isFinite(point.training_loss))
      series.training.push({ step: x, value: point.training_loss });
    if (point.validation_loss !== null && Number.isFinite(point.validation_loss))
      series.validation.push({ step: x, value: point.validation_loss });
  }
  return series;
}
