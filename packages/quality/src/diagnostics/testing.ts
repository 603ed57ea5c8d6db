/** Crafted loss histories for the diagnostics' tests: each puts in one known thing to find. */
import type { DiagnosticsPointInput } from "./series";

/** A deterministic wobble of ±amplitude (no randomness in tests either). */
const wobble = (step: number, amplitude: number) => amplitude * Math.sin(step * 1.7);

export function history(
  steps: number,
  training: (step: number) => number | null,
  validation: (step: number) => number | null = () => null,
): DiagnosticsPointInput[] {
  return Array.from({ length: steps + 1 }, (_, step) => ({
    step,
    training_loss: training(step),
    validation_loss: validation(step),
  }));
}

const every = (n: number, value: (step: number) => number) => (step: number) =>
  step > 0 && step % n === 0 ? value(step) : null;

/** Exponential decay towards 0.5 with a little noise; validation 0.05 above, every 20 steps. */
export const cleanConvergence = () =>
  history(
    200,
    (step) => 2.5 * Math.exp(-step / 60) + 0.5 + wobble(step, 0.005),
    every(20, (step) => 2.5 * Math.exp(-step / 60) + 0.55),
  );

/** Training keeps falling; validation falls to 1.2 at step 100, then rises (eval every 10). */
export const overfittingAt100 = () =>
  history(
    200,
    (step) => 2 - 0.009 * step + wobble(step, 0.003),
    every(10, (step) => (step <= 100 ? 2 - 0.008 * step : 1.2 + 0.004 * (step - 100))),
  );

/** Falls from 2.0 to 1.0 over the first 100 steps, then flat (±0.001) until step 300. */
export const plateauFrom100 = () =>
  history(300, (step) => (step <= 100 ? 2 - 0.01 * step : 1 + wobble(step, 0.001)));

/** Falls to 0.8 at step 150, then climbs to 5.0 by step 200. */
export const divergenceAfter150 = () =>
  history(200, (step) =>
    step <= 150 ? 2 - 0.008 * step : 0.8 * Math.exp(((step - 150) / 50) * Math.log(6.25)),
  );

/** Clean convergence whose last 20 logged losses are NaN. */
export const endsInNaN = () =>
  history(200, (step) => (step > 180 ? Number.NaN : 2.5 * Math.exp(-step / 60) + 0.5));
