/** Geometry of the server-rendered loss chart (pure, unit-tested). */
export interface LossPoint {
  step: number;
  training_loss: number | null;
  validation_loss: number | null;
}

export interface SeriesPoint {
  step: number;
  value: number;
}

export function finiteSeries(
  points: LossPoint[],
  key: "training_loss" | "validation_loss",
): SeriesPoint[] {
  const series: SeriesPoint[] = [];
  for (const point of points) {
    const value = point[key];
    if (typeof value === "number" && Number.isFinite(value) && Number.isFinite(point.step)) {
      series.push({ step: point.step, value });
    }
  }
  return series;
}

/** Round tick values ("nice numbers") covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = start; value <= max + step * 0.5; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (ticks.length > 20) break;
  }
  return ticks;
}

export function tickLabel(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return value.toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}
