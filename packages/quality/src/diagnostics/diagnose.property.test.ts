import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { diagnoseTraining, type DiagnosticsPointInput, type TrainingDiagnostics } from "../index";

const anyLoss = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom(null, NaN, Infinity, -Infinity, 0, -0, 5e-324),
  fc.double({ min: 0.001, max: 20, noNaN: true }),
);
const anyHistory = fc.array(
  fc.record({
    step: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.constantFrom(NaN, Infinity)),
    training_loss: anyLoss,
    validation_loss: anyLoss,
  }),
  { maxLength: 120 },
);

/** Ordinary runs: unique steps, positive losses in a range where scaling by 2^k is exact. */
const ordinaryLoss = fc.double({ min: 0.01, max: 10, noNaN: true, noDefaultInfinity: true });
const ordinaryHistory = fc
  .uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 150 })
  .chain((steps) =>
    fc.tuple(
      fc.constant(steps),
      fc.array(fc.tuple(ordinaryLoss, fc.option(ordinaryLoss, { freq: 4 })), {
        minLength: steps.length,
        maxLength: steps.length,
      }),
    ),
  )
  .map(([steps, losses]) =>
    steps.map((step, i): DiagnosticsPointInput => ({
      step,
      training_loss: losses[i]![0],
      validation_loss: losses[i]![1],
    })),
  );

/** Every step a finding names, to compare runs. */
function findingSteps(d: TrainingDiagnostics) {
  return {
    best: d.best_step?.step ?? null,
    onset: d.overfitting?.onset_step ?? null,
    plateau: d.plateau?.start_step ?? null,
    divergence: d.divergence?.step ?? null,
    spikes: d.instability?.spikes.map((spike) => spike.step) ?? null,
  };
}

function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (value && typeof value === "object")
    for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe("diagnoseTraining: properties", () => {
  it("never throws, and its output is plain JSON without NaN or Infinity", () => {
    fc.assert(
      fc.property(anyHistory, (points) => {
        const d = diagnoseTraining(points);
        for (const n of numbersIn(d)) expect(Number.isFinite(n)).toBe(true);
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
        expect(d.summary.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("the best step is a logged step; with validation, the lowest validation loss", () => {
    fc.assert(
      fc.property(ordinaryHistory, (points) => {
        const d = diagnoseTraining(points);
        const steps = new Set(points.map((p) => p.step));
        expect(d.best_step).not.toBeNull();
        expect(steps.has(d.best_step!.step)).toBe(true);
        const validation = points
          .map((p) => p.validation_loss)
          .filter((v): v is number => v !== null);
        if (validation.length > 0) {
          expect(d.best_step!.source).toBe("validation");
          expect(d.best_step!.loss).toBe(Math.min(...validation));
        } else {
          expect(d.best_step!.source).toBe("smoothed_training");
        }
        expect(d.best_step!.steps_after).toBe(Math.max(...steps) - d.best_step!.step);
      }),
      { numRuns: 500 },
    );
  });

  it("finds the same steps whatever the unit of the loss (scaling by a power of two)", () => {
    fc.assert(
      fc.property(ordinaryHistory, fc.constantFrom(0.25, 0.5, 2, 4, 1024), (points, factor) => {
        const scaled = points.map((p) => ({
          ...p,
          training_loss: p.training_loss === null ? null : p.training_loss * factor,
          validation_loss: p.validation_loss === null ? null : p.validation_loss * factor,
        }));
        expect(findingSteps(diagnoseTraining(scaled))).toEqual(
          findingSteps(diagnoseTraining(points)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("does not depend on the order the points arrive in", () => {
    fc.assert(
      fc.property(
        ordinaryHistory.chain((points) =>
          fc.tuple(fc.constant(points), fc.shuffledSubarray(points, { minLength: points.length })),
        ),
        ([points, shuffled]) => {
          expect(diagnoseTraining(shuffled)).toEqual(diagnoseTraining(points));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a strictly falling training loss never diverges, spikes or overfits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 0.2, noNaN: true }), {
          minLength: 2,
          maxLength: 200,
        }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (drops, start) => {
          let loss = start;
          const points = drops.map((drop, step) => {
            loss *= 1 - drop;
            return { step, training_loss: loss, validation_loss: null };
          });
          const d = diagnoseTraining(points);
          expect(d.divergence).toBeNull();
          expect(d.overfitting).toBeNull();
          expect(d.instability?.spike_count).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is pure: the same points give the same answer and are not modified", () => {
    fc.assert(
      fc.property(anyHistory, (points) => {
        const copy = structuredClone(points);
        expect(diagnoseTraining(points)).toEqual(diagnoseTraining(copy));
        expect(points).toEqual(copy);
      }),
      { numRuns: 300 },
    );
  });
});
