import { describe, expect, it } from "vitest";

import { calculateQualityMetrics, diagnoseTraining } from "../index";
import {
  cleanConvergence,
  divergenceAfter150,
  endsInNaN,
  history,
  overfittingAt100,
  plateauFrom100,
} from "./testing";

describe("diagnoseTraining on crafted histories", () => {
  it("clean convergence: the best step is the last evaluation, and nothing went wrong", () => {
    const d = diagnoseTraining(cleanConvergence());
    expect(d.best_step).toMatchObject({ step: 200, source: "validation", steps_after: 0 });
    expect(d.overfitting).toBeNull();
    expect(d.plateau).toBeNull();
    expect(d.divergence).toBeNull();
    expect(d.instability).toMatchObject({ spike_count: 0, non_finite_points: 0 });
    expect(d.instability?.sentence).toBeNull();
    expect(d.summary[0]).toBe(
      "Training converged cleanly: no overfitting, divergence, spikes or plateau were found.",
    );
    expect(d.points).toEqual({ total: 201, training: 201, validation: 10 });
  });

  it("overfitting: finds the validation minimum at 100 and the onset at the next evaluation", () => {
    const d = diagnoseTraining(overfittingAt100());
    expect(d.best_step).toMatchObject({ step: 100, source: "validation", steps_after: 100 });
    expect(d.best_step?.loss).toBeCloseTo(1.2, 10);
    expect(d.overfitting).toMatchObject({ onset_step: 110, best_validation_step: 100 });
    expect(d.overfitting?.final_validation_loss).toBeCloseTo(1.6, 10);
    expect(d.overfitting?.validation_rise_percent).toBeCloseTo((0.4 / 1.2) * 100, 6);
    expect(d.overfitting!.training_change_percent).toBeLessThan(-50);
    expect(d.overfitting?.sentence).toBe(
      "Overfitting began at step 110: after its minimum at step 100 (1.2) the validation loss rose 33% to 1.6 while the training loss kept falling (80% lower).",
    );
    expect(d.summary[0]).toBe(d.overfitting?.sentence);
  });

  it("a validation loss that rises and falls back is not overfitting", () => {
    const d = diagnoseTraining(
      history(
        100,
        (step) => 2 - 0.01 * step,
        (step) => (step % 10 === 0 && step > 0 ? (step === 50 ? 1.9 : 2 - 0.01 * step) : null),
      ),
    );
    expect(d.overfitting).toBeNull();
  });

  it("validation rising while training rises too is not overfitting", () => {
    const d = diagnoseTraining(
      history(
        100,
        () => 1,
        (step) => (step % 10 === 0 && step > 0 ? 1 + step / 100 : null),
      ),
    );
    expect(d.overfitting).toBeNull();
  });

  it("a plateau: the last 200 of 300 steps bought nothing", () => {
    const d = diagnoseTraining(plateauFrom100());
    expect(d.plateau).not.toBeNull();
    expect(d.plateau!.start_step).toBeGreaterThanOrEqual(95);
    expect(d.plateau!.start_step).toBeLessThanOrEqual(105);
    expect(d.plateau!.wasted_steps).toBe(300 - d.plateau!.start_step);
    expect(d.plateau!.wasted_percent).toBeCloseTo((d.plateau!.wasted_steps / 300) * 100, 10);
    expect(d.plateau!.improvement_before_percent).toBeGreaterThan(45);
    expect(d.plateau!.sentence).toMatch(
      /^The training loss stopped improving at step \d+: after falling \d+%, it stayed flat for the last \d+ steps \(\d+% of the run\)\.$/,
    );
    expect(d.divergence).toBeNull();
    expect(d.best_step?.source).toBe("smoothed_training");
  });

  it("a divergence: lowest near 150, 1.5× that by about 165, ending ~6× higher", () => {
    const d = diagnoseTraining(divergenceAfter150());
    expect(d.divergence).not.toBeNull();
    expect(d.divergence!.min_step).toBeGreaterThanOrEqual(145);
    expect(d.divergence!.min_step).toBeLessThanOrEqual(152);
    // 0.8 · 6.25^((s-150)/50) = 1.2 at s ≈ 161; smoothing moves it by a few steps at most.
    expect(d.divergence!.step).toBeGreaterThanOrEqual(155);
    expect(d.divergence!.step).toBeLessThanOrEqual(166);
    expect(d.divergence!.ratio).toBeGreaterThan(4);
    expect(d.divergence!.ended_non_finite).toBe(false);
    expect(d.plateau).toBeNull();
    expect(d.summary[0]).toBe(d.divergence!.sentence);
    expect(d.divergence!.sentence).toMatch(/^Training diverged: the smoothed training loss/);
  });

  it("a run that ends in NaN diverged at the first NaN, and is unstable", () => {
    const d = diagnoseTraining(endsInNaN());
    expect(d.divergence).toMatchObject({ step: 181, ended_non_finite: true, ratio: null });
    expect(d.instability).toMatchObject({
      non_finite_points: 20,
      non_finite_runs: [{ start_step: 181, end_step: 200, points: 20 }],
    });
    expect(d.instability?.sentence).toBe(
      "Unstable training: 20 logged training losses were NaN or infinite (one stretch, the first from step 181 to 200).",
    );
  });

  it("a spike: one loss three times its neighbours", () => {
    const points = cleanConvergence().map((point) =>
      point.step === 120 ? { ...point, training_loss: 3 * (point.training_loss as number) } : point,
    );
    const d = diagnoseTraining(points);
    expect(d.instability?.spike_count).toBe(1);
    expect(d.instability?.spikes[0]?.step).toBe(120);
    expect(d.instability?.sentence).toMatch(
      /^Unstable training: the training loss spiked once, at step 120 \(/,
    );
    expect(d.divergence).toBeNull();
  });

  it("NaN in the middle is a stretch, not a divergence", () => {
    const points = cleanConvergence().map((point) =>
      point.step >= 50 && point.step <= 52 ? { ...point, training_loss: Infinity } : point,
    );
    const d = diagnoseTraining(points);
    expect(d.divergence).toBeNull();
    expect(d.instability?.non_finite_runs).toEqual([{ start_step: 50, end_step: 52, points: 3 }]);
  });

  it("without validation, a single low outlier is not the best step", () => {
    const points = cleanConvergence().map((point) => ({
      ...point,
      validation_loss: null,
      training_loss: point.step === 40 ? 0.1 : point.training_loss,
    }));
    const d = diagnoseTraining(points);
    expect(d.best_step?.source).toBe("smoothed_training");
    expect(d.best_step!.step).toBeGreaterThan(180);
    expect(d.summary[0]).toMatch(/cannot be judged/);
  });

  it("a loss that went up, but not enough to diverge, is not called clean", () => {
    const d = diagnoseTraining(history(200, (step) => 2 + 0.0015 * step));
    expect(d.divergence).toBeNull();
    expect(d.trend!.change_percent).toBeGreaterThan(10);
    expect(d.summary[0]).toBe("The training loss did not fall: smoothed, it went from 2 to 2.3.");
  });

  it("a loss that rose and then went flat says both, the rise first", () => {
    const d = diagnoseTraining(history(300, (step) => (step <= 100 ? 2 + 0.004 * step : 2.4)));
    expect(d.plateau).not.toBeNull();
    expect(d.summary[0]).toMatch(
      /^The training loss did not fall: smoothed, it went from 2\.0\d* to 2\.4\.$/,
    );
    expect(d.summary[1]).toBe(d.plateau!.sentence);
  });

  it("a single training loss is too few to judge", () => {
    const d = diagnoseTraining([{ step: 1, training_loss: 2.4, validation_loss: null }]);
    expect(d.trend).toBeNull();
    expect(d.summary).toEqual([
      "Only one training loss was logged: too few to say how training went.",
    ]);
  });

  it("an empty history says so, and finds nothing", () => {
    const d = diagnoseTraining([]);
    expect(d).toMatchObject({
      best_step: null,
      overfitting: null,
      plateau: null,
      divergence: null,
      instability: null,
      summary: ["No training loss was logged, so there is nothing to say about how training went."],
    });
  });

  it("points out of order are read in step order", () => {
    const points = overfittingAt100();
    expect(diagnoseTraining([...points].reverse())).toEqual(diagnoseTraining(points));
  });

  it("leaves the quality score exactly as it was", () => {
    for (const points of [cleanConvergence(), overfittingAt100(), divergenceAfter150()]) {
      const before = calculateQualityMetrics(points);
      diagnoseTraining(points);
      expect(calculateQualityMetrics(points)).toEqual(before);
    }
  });
});
