import { describe, expect, it } from "vitest";

import { asConvergenceQuality, explainQuality } from "./explain";
import { calculateQualityMetrics } from "./quality";

describe("quality explanation", () => {
  it("names the band and the overfitting penalty", () => {
    const lines = explainQuality({
      overall_score: 4,
      convergence_quality: "overfit",
      final_training_loss: 0.8,
      final_validation_loss: 1.6,
      loss_reduction_percent: 65,
    });
    expect(lines[0]).toMatch(/65\.0 %.*more than 50 %.*5 stars/);
    expect(lines[1]).toMatch(/0\.80 above.*overfitting.*5 → 4/);
  });

  it("explains the scores below the bands and the penalty's floor in the same words as SPEC §5", () => {
    const base = { final_training_loss: null, final_validation_loss: null } as const;
    expect(
      explainQuality({
        ...base,
        overall_score: 1,
        convergence_quality: "poor",
        loss_reduction_percent: 3,
      })[0],
    ).toBe("Training loss fell by only 3.0 % (5 % or less), which earns 1 star.");
    expect(
      explainQuality({
        ...base,
        overall_score: 1,
        convergence_quality: "poor",
        loss_reduction_percent: -10,
      })[0],
    ).toBe(
      "Training loss did not fall (-10.0 % change from first to last step), which earns 1 star.",
    );
    expect(
      explainQuality({
        overall_score: 2,
        convergence_quality: "overfit",
        final_training_loss: 1,
        final_validation_loss: 2,
        loss_reduction_percent: 10,
      }),
    ).toEqual([
      "Training loss fell by 10.0 % from the first to the last step — more than 5 %, which earns 2 stars.",
      "Final validation loss is 1.00 above training loss (more than 0.5): the model is overfitting; the score stays at 2 (the penalty never goes below 2 stars).",
    ]);
  });

  it("says why a model is not rated instead of inventing a score", () => {
    expect(explainQuality(null)[0]).toMatch(/not rated/);
  });

  it("explains what calculateQualityMetrics computed, with the stored quality read back from JSON", () => {
    const points = [4, 3, 2, 1.5].map((loss, i) => ({
      training_loss: loss,
      validation_loss: i === 3 ? 2.4 : null,
    }));
    const stored = JSON.parse(JSON.stringify(calculateQualityMetrics(points))) as Record<
      string,
      unknown
    >;
    const metrics = calculateQualityMetrics(points);
    expect(
      explainQuality({
        ...metrics,
        convergence_quality: asConvergenceQuality(stored.convergence_quality),
      }),
    ).toEqual([
      "Training loss fell by 62.5 % from the first to the last step — more than 50 %, which earns 5 stars.",
      "Final validation loss is 0.90 above training loss (more than 0.5): the model is overfitting, so it loses one star (5 → 4).",
    ]);
    expect(asConvergenceQuality("splendid")).toBe("unknown");
  });
});
