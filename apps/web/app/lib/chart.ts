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

/** A labelled vertical line at a step (e.g. the best step, where overfitting starts). */
export interface ChartMarker {
  step: number;
  label: string;
  /** What the training diagnostics found there (lib/chart-markers.ts). */
  kind: "best_step" | "overfitting_onset";
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
 * Round tick values ("nice numbers") that ENCLOSE [min, max]: the first tick is at or below
 * min, the last at or above max, so an axis from first to last tick holds every value. With
 * `integer`, the spacing is a whole number (training steps).
 */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
  options: { integer?: boolean } = {},
): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    // One value: a small range around it (for steps, one step either side, not below 0).
    const pad = options.integer ? 1 : Math.abs(min) * 0.1 || 1;
    min = options.integer && min >= 0 ? Math.max(0, min - pad) : min - pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ??
    10 * magnitude;
  if (options.integer) step = Math.max(1, Math.ceil(step));
  const first = Math.floor(min / step + 1e-9) * step;
  const last = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step * 1e-6 && i <= 40; i++) {
    ticks.push(Number((first + i * step).toPrecision(12)));
  }
  return ticks;
}

export function tickLabel(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return value.toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd. */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  const suffix = { 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th";
  return `${n}${suffix}`;
}

export interface ChartLayout {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  xTickCount: number;
  yTickCount: number;
}

export interface ChartGeometry {
  xTicks: number[];
  yTicks: number[];
  plot: { left: number; right: number; top: number; bottom: number };
  x: (step: number) => number;
  y: (value: number) => number;
}

/**
 * An axis runs from its first tick to its last. No ticks (no finite value to place) gives NaN
 * ends, so nothing is placed anywhere.
 */
function axisEnds(ticks: number[]): [first: number, last: number] {
  return [ticks[0] ?? Number.NaN, ticks.at(-1) ?? Number.NaN];
}

/**
 * Scales and ticks for the given series (and marker steps): the axes run from the first to the
 * last tick, and the ticks enclose the data, so every point lands inside the plot.
 */
export function chartGeometry(
  series: SeriesPoint[],
  layout: ChartLayout,
  markerSteps: number[] = [],
): ChartGeometry {
  const steps = [...series.map((p) => p.step), ...markerSteps];
  const values = series.map((p) => p.value);
  const xTicks = niceTicks(Math.min(...steps), Math.max(...steps), layout.xTickCount, {
    integer: true,
  });
  const yTicks = niceTicks(Math.min(...values), Math.max(...values), layout.yTickCount);
  const [xMin, xMax] = axisEnds(xTicks);
  const [yMin, yMax] = axisEnds(yTicks);
  const plot = {
    left: layout.margin.left,
    right: layout.width - layout.margin.right,
    top: layout.margin.top,
    bottom: layout.height - layout.margin.bottom,
  };
  return {
    xTicks,
    yTicks,
    plot,
    x: (step) => plot.left + ((step - xMin) / (xMax - xMin || 1)) * (plot.right - plot.left),
    y: (value) => plot.bottom - ((value - yMin) / (yMax - yMin || 1)) * (plot.bottom - plot.top),
  };
}
