/**
 * Server-side downsampling of a loss history for the chart. A browser gains nothing from 100,000
 * points it draws into 600 pixels, but an every-n-th-point sample hides spikes and plateaus;
 * Largest-Triangle-Three-Buckets keeps the curve's visible shape. Validation points are sparse
 * and each one matters, so they are all kept (unless there are too many to be "sparse").
 *
 * The product's one downsampler. It imports nothing, so browser code can use it as
 * `@mad/api/downsample` without pulling in the server (`@mad/api` itself is server-only).
 */

export interface LossPoint {
  step: number;
  epoch: number | null;
  training_loss: number | null;
  validation_loss: number | null;
}

/** Indices (ascending) of at most `threshold` points that keep the shape of y over x. */
export function largestTriangleThreeBuckets(
  xs: readonly number[],
  ys: readonly number[],
  threshold: number,
): number[] {
  const length = xs.length;
  if (threshold >= length || length <= 2) return Array.from({ length }, (_, i) => i);
  if (threshold <= 2) return threshold <= 0 ? [] : threshold === 1 ? [0] : [0, length - 1];

  const selected = [0];
  const bucketSize = (length - 2) / (threshold - 2);
  let previous = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, length);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += xs[i]!;
      avgY += ys[i]!;
    }
    const nextCount = Math.max(nextEnd - nextStart, 1);
    avgX /= nextCount;
    avgY /= nextCount;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const ax = xs[previous]!;
    const ay = ys[previous]!;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - avgX) * (ys[i]! - ay) - (ax - xs[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    selected.push(best);
    previous = best;
  }
  selected.push(length - 1);
  return selected;
}

const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);

/**
 * At most `maxPoints` points in step order: every validation point (up to half the budget), the
 * rest chosen by LTTB on the training loss. Points without any finite loss are dropped when
 * downsampling (they draw nothing).
 */
export function downsampleLossCurve(points: readonly LossPoint[], maxPoints: number): LossPoint[] {
  if (points.length <= maxPoints) return [...points];

  const validation = points.filter((p) => finite(p.validation_loss));
  const validationBudget = Math.floor(maxPoints / 2);
  const keptValidation =
    validation.length <= validationBudget
      ? validation
      : largestTriangleThreeBuckets(
          validation.map((p) => p.step),
          validation.map((p) => p.validation_loss!),
          validationBudget,
        ).map((i) => validation[i]!);

  const training = points.filter((p) => finite(p.training_loss));
  const trainingBudget = maxPoints - keptValidation.length;
  const keptTraining = largestTriangleThreeBuckets(
    training.map((p) => p.step),
    training.map((p) => p.training_loss!),
    trainingBudget,
  ).map((i) => training[i]!);

  const byStep = new Map<number, LossPoint>();
  for (const point of keptTraining) byStep.set(point.step, point);
  for (const point of keptValidation) byStep.set(point.step, point);
  const merged = [...byStep.values()].sort((a, b) => a.step - b.step);
  // A validation point may coincide with a training pick; the union can only be smaller.
  return merged.slice(0, maxPoints);
}
