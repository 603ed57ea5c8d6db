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

/**
 * Keeps at most `max` points for drawing: the extremes of each bucket, so spikes survive, plus
 * the first and last points. Small series are returned as they are.
 */
export function downsample(series: SeriesPoint[], max: number): SeriesPoint[] {
  if (series.length <= max) return series;
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = series.slice(1, -1);
  const size = inner.length / buckets;
  const kept: SeriesPoint[] = [series[0]!];
  for (let b = 0; b < buckets; b++) {
    const bucket = inner.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (bucket.length === 0) continue;
    let low = bucket[0]!;
    let high = bucket[0]!;
    for (const p of bucket) {
      if (p.value < low.value) low = p;
      if (p.value > high.value) high = p;
    }
    if (low === high) kept.push(low);
    else kept.push(...(low.step < high.step ? [low, high] : [high, low]));
  }
  kept.push(series[series.length - 1]!);
  return kept;
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
