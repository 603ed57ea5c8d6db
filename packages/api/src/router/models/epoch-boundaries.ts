/**
 * Where each epoch begins in a loss history, so the compare chart can align curves by epoch:
 * two runs with different batch sizes reach epoch 1 at different steps. Pure; computed over the
 * whole history, not the downsampled one, which may have dropped the first point of an epoch.
 */
import type { LossPoint } from "../../downsample";

export interface EpochBoundary {
  /** The whole epoch number that begins here (1 = the second pass over the data). */
  epoch: number;
  /** The first step whose epoch value reaches it. */
  step: number;
}

/**
 * One boundary per whole epoch the history crosses after its first point. Points without an
 * epoch are skipped; a history whose epoch goes backwards (a resumed run relabelled) does not
 * make a boundary twice.
 */
export function epochBoundaries(points: readonly Pick<LossPoint, "step" | "epoch">[]) {
  const boundaries: EpochBoundary[] = [];
  let reached: number | null = null;
  for (const point of points) {
    if (point.epoch === null || !Number.isFinite(point.epoch)) continue;
    const whole = Math.floor(point.epoch);
    if (reached === null) {
      reached = whole;
      continue;
    }
    // A jump over several epochs at once still marks each one, at the same step.
    while (whole > reached) {
      reached += 1;
      boundaries.push({ epoch: reached, step: point.step });
    }
  }
  return boundaries;
}
