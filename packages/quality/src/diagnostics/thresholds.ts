/**
 * The thresholds of the training diagnostics, as data. Every one is relative to the losses
 * themselves, so a history scaled by any positive factor gets the same findings.
 */

/** Validation must stay this far (relative) above its minimum to count as rising. */
export const OVERFIT_RISE_TOLERANCE = 0.01;
/** …while the smoothed training loss falls by at least this much (relative) over the same steps. */
export const OVERFIT_TRAINING_FALL = 0.01;

/** A trailing stretch whose smoothed training loss stays inside this band (relative) is flat. */
export const PLATEAU_BAND = 0.02;
/** …and is reported only when it spans at least this share of the steps… */
export const PLATEAU_MIN_SHARE = 0.2;
/** …and this many logged points. */
export const PLATEAU_MIN_POINTS = 5;

/** The smoothed training loss ending this many times above its minimum has diverged. */
export const DIVERGENCE_RATIO = 1.5;

/** A raw training loss this many times the median of the points before it is a spike… */
export const SPIKE_RATIO = 1.5;
/** …over a window of this many finite points (and at least SPIKE_MIN_HISTORY of them). */
export const SPIKE_WINDOW = 10;
export const SPIKE_MIN_HISTORY = 5;
/** At most this many spikes are listed (all are counted). */
export const SPIKES_LISTED = 10;

/** Half-width of the centred moving average: about a fortieth of the points, at most 10. */
export function smoothingHalfWidth(points: number): number {
  return Math.min(10, Math.floor(points / 40));
}
