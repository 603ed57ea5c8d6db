import { describe, expect, it } from "vitest";

import { diagnoseTraining } from "@mad/quality";

import { lossChartMarkers } from "./chart-markers";

const overfitting = Array.from({ length: 200 }, (_, i) => {
  const step = i + 1;
  return {
    step,
    training_loss: 2 - 0.009 * step,
    validation_loss:
      step % 10 === 0 ? (step <= 100 ? 2 - 0.008 * step : 1.2 + 0.004 * (step - 100)) : null,
  };
});

describe("lossChartMarkers", () => {
  it("marks the best step and the overfitting onset", () => {
    expect(lossChartMarkers(diagnoseTraining(overfitting))).toEqual([
      { step: 100, label: "Best step (100)", kind: "best_step" },
      { step: 110, label: "Overfitting begins (110)", kind: "overfitting_onset" },
    ]);
  });

  it("marks only the best step of a clean run, and nothing without losses", () => {
    const clean = overfitting.map((p) => ({ ...p, validation_loss: null }));
    expect(lossChartMarkers(diagnoseTraining(clean)).map((m) => m.kind)).toEqual(["best_step"]);
    expect(lossChartMarkers(diagnoseTraining([]))).toEqual([]);
  });
});
