/**
 * "What happened in training", from the loss history alone: the best step, where overfitting
 * began, a plateau at the end, divergence and instability — each with the numbers behind it and
 * one plain sentence. Pure like the score (no I/O, clock or randomness), and independent of it:
 * `calculateQualityMetrics` is not changed by anything here.
 */
import { type BestStep, findBestStep } from "./best-step";
import { findOverfitting, type Overfitting } from "./overfitting";
import { findPlateau, type Plateau } from "./plateau";
import {
  bestStepSentence,
  divergenceSentence,
  formatLoss,
  instabilitySentence,
  overfittingSentence,
  plateauSentence,
} from "./sentences";
import { buildSeries, type DiagnosticsPointInput, percentOf } from "./series";
import { type Divergence, findDivergence, findInstability, type Instability } from "./stability";

export type Finding<T> = (T & { sentence: string }) | null;

export interface TrainingDiagnostics {
  best_step: Finding<BestStep>;
  overfitting: Finding<Overfitting>;
  plateau: Finding<Plateau>;
  divergence: Finding<Divergence>;
  instability: (Instability & { sentence: string | null }) | null;
  /** Logged points with a step, and how many had a finite training / validation loss. */
  points: { total: number; training: number; validation: number };
  /** The smoothed training loss at the start and at the end; null below two finite points. */
  trend: { first_loss: number; final_loss: number; change_percent: number | null } | null;
  /** The sentences above, most important first; one sentence when nothing went wrong. */
  summary: string[];
}

export function diagnoseTraining(
  points: ReadonlyArray<Readonly<DiagnosticsPointInput>>,
): TrainingDiagnostics {
  const series = buildSeries(points);
  const best = findBestStep(series);
  const overfit = findOverfitting(series);
  const divergence = findDivergence(series);
  // A loss that diverged is not "flat": the plateau finding would only restate it.
  const plateau = divergence ? null : findPlateau(series);
  const instability = findInstability(series);
  const instabilityText = instabilitySentence(instability);

  const diagnostics: TrainingDiagnostics = {
    best_step: best && { ...best, sentence: bestStepSentence(best) },
    overfitting: overfit && { ...overfit, sentence: overfittingSentence(overfit) },
    plateau: plateau && { ...plateau, sentence: plateauSentence(plateau) },
    divergence: divergence && { ...divergence, sentence: divergenceSentence(divergence) },
    instability:
      series.training.length + series.trainingRuns.length > 0
        ? { ...instability, sentence: instabilityText }
        : null,
    points: {
      total: points.filter((point) => typeof point.step === "number" && Number.isFinite(point.step))
        .length,
      training: series.training.length,
      validation: series.validation.length,
    },
    trend:
      series.smoothed.length >= 2
        ? {
            first_loss: series.smoothed[0]!.loss,
            final_loss: series.smoothed.at(-1)!.loss,
            change_percent: percentOf(
              series.smoothed.at(-1)!.loss - series.smoothed[0]!.loss,
              series.smoothed[0]!.loss,
            ),
          }
        : null,
    summary: [],
  };
  diagnostics.summary = summarize(diagnostics);
  return diagnostics;
}

function summarize(d: TrainingDiagnostics): string[] {
  if (d.points.training === 0 && d.divergence === null) {
    return ["No training loss was logged, so there is nothing to say about how training went."];
  }
  if (d.trend === null && d.divergence === null) {
    return ["Only one training loss was logged: too few to say how training went."];
  }
  const problems = [
    d.divergence?.sentence,
    d.overfitting?.sentence,
    d.instability?.sentence,
    d.plateau?.sentence,
  ].filter((text): text is string => typeof text === "string");
  const lines = [...problems];
  if (d.best_step) lines.push(d.best_step.sentence);
  const didNotFall =
    d.divergence === null && d.trend !== null && d.trend.final_loss >= d.trend.first_loss;
  if (didNotFall) {
    // Said first whatever else was found: a run that made things worse is the news.
    lines.unshift(
      `The training loss did not fall: smoothed, it went from ${formatLoss(d.trend!.first_loss)} to ${formatLoss(d.trend!.final_loss)}.`,
    );
  } else if (problems.length === 0) {
    lines.unshift(
      d.points.validation > 0
        ? "Training converged cleanly: no overfitting, divergence, spikes or plateau were found."
        : "Training converged cleanly: no divergence, spikes or plateau were found (no validation loss was logged, so overfitting cannot be judged).",
    );
  }
  return lines;
}

export type { BestStep, DiagnosticsPointInput, Divergence, Instability, Overfitting, Plateau };
export type { NonFiniteRun } from "./series";
export type { Spike } from "./stability";
