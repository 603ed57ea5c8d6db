/** Each finding in plain words, with its numbers. */
import type { BestStep } from "./best-step";
import type { Overfitting } from "./overfitting";
import type { Plateau } from "./plateau";
import type { Divergence, Instability } from "./stability";
import { DIVERGENCE_RATIO } from "./thresholds";

/** A loss as people read it: 3 significant digits, no exponent for ordinary values. */
export function formatLoss(loss: number): string {
  const abs = Math.abs(loss);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return loss.toExponential(2);
  return String(Number(loss.toPrecision(3)));
}

export function formatPercent(percent: number | null): string {
  if (percent === null) return "an unmeasurable amount";
  const abs = Math.abs(percent);
  return `${abs >= 10 ? Math.round(abs) : Number(abs.toFixed(1))}%`;
}

const steps = (n: number) => `${n.toLocaleString("en-US")} step${n === 1 ? "" : "s"}`;

export function bestStepSentence(best: BestStep): string {
  const what = best.source === "validation" ? "validation loss" : "smoothed training loss";
  if (best.steps_after === 0) {
    return `The ${what} was lowest at the last step (${best.step}, ${formatLoss(best.loss)}): the final weights are the best ones.`;
  }
  return `The ${what} was lowest at step ${best.step} (${formatLoss(best.loss)}); training went on for ${steps(best.steps_after)} after it and ended at ${formatLoss(best.final_loss)}.`;
}

export function overfittingSentence(overfit: Overfitting): string {
  const rise =
    overfit.validation_rise_percent === null
      ? ""
      : ` ${formatPercent(overfit.validation_rise_percent)}`;
  const fall =
    overfit.training_change_percent === null
      ? ""
      : ` (${formatPercent(overfit.training_change_percent)} lower)`;
  return `Overfitting began at step ${overfit.onset_step}: after its minimum at step ${overfit.best_validation_step} (${formatLoss(overfit.best_validation_loss)}) the validation loss rose${rise} to ${formatLoss(overfit.final_validation_loss)} while the training loss kept falling${fall}.`;
}

export function plateauSentence(plateau: Plateau): string {
  const before =
    plateau.improvement_before_percent !== null && plateau.improvement_before_percent > 0
      ? `after falling ${formatPercent(plateau.improvement_before_percent)}, `
      : "";
  return `The training loss stopped improving at step ${plateau.start_step}: ${before}it stayed flat for the last ${steps(plateau.wasted_steps)} (${formatPercent(plateau.wasted_percent)} of the run).`;
}

export function divergenceSentence(divergence: Divergence): string {
  if (divergence.ended_non_finite) {
    return `Training diverged: from step ${divergence.step} to the end the training loss was NaN or infinite.`;
  }
  return `Training diverged: the smoothed training loss was lowest at step ${divergence.min_step} (${formatLoss(divergence.min_loss!)}), passed ${formatLoss(divergence.min_loss! * DIVERGENCE_RATIO)} at step ${divergence.step} and ended ${divergence.ratio === null ? "far" : `${Number(divergence.ratio.toFixed(1))}×`} higher, at ${formatLoss(divergence.final_loss!)}.`;
}

export function instabilitySentence(instability: Instability): string | null {
  const parts: string[] = [];
  if (instability.spike_count > 0) {
    const first = instability.spikes[0]!;
    parts.push(
      instability.spike_count === 1
        ? `the training loss spiked once, at step ${first.step} (${formatLoss(first.loss)} against ${formatLoss(first.baseline)} just before)`
        : `the training loss spiked ${instability.spike_count} times, first at step ${first.step} (${formatLoss(first.loss)} against ${formatLoss(first.baseline)} just before)`,
    );
  }
  if (instability.non_finite_points > 0) {
    const runs = instability.non_finite_runs;
    const first = runs[0]!;
    parts.push(
      `${instability.non_finite_points} logged training loss${instability.non_finite_points === 1 ? " was" : "es were"} NaN or infinite (${runs.length === 1 ? "one stretch" : `${runs.length} stretches`}, the first from step ${first.start_step} to ${first.end_step})`,
    );
  }
  if (instability.non_finite_validation_points > 0) {
    parts.push(
      `${instability.non_finite_validation_points} validation loss${instability.non_finite_validation_points === 1 ? " was" : "es were"} NaN or infinite`,
    );
  }
  if (parts.length === 0) return null;
  const text = parts.join("; ");
  return `Unstable training: ${text}.`;
}
