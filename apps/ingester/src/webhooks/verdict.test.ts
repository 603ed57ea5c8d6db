import { describe, expect, it } from "vitest";

import { hasReasons, verdictWithReasons } from "./verdict";

describe("the webhook verdict", () => {
  const numbers = {
    final_training_loss: 0.8,
    final_validation_loss: 1.6,
    perplexity: 4.95,
    loss_reduction_percent: 65,
  };

  it("explains a snapshot in the model page's words", () => {
    const verdict = verdictWithReasons({ score: 4, convergence: "overfit", metrics: numbers });
    expect(verdict).toEqual({
      score: 4,
      convergence: "overfit",
      metrics: numbers,
      reasons: [
        "Training loss fell by 65.0 % from the first to the last step — more than 50 %, which earns 5 stars.",
        "Final validation loss is 0.80 above training loss (more than 0.5): the model is overfitting, so it loses one star (5 → 4).",
      ],
    });
    expect(hasReasons(verdict)).toBe(true);
  });

  it("reads events written before migration 0010 (numbers under reasons) the same way", () => {
    const old = { score: 4, convergence: "overfit", reasons: numbers };
    expect(hasReasons(old)).toBe(false);
    expect(verdictWithReasons(old)).toEqual(
      verdictWithReasons({ score: 4, convergence: "overfit", metrics: numbers }),
    );
  });

  it("says why there is no score instead of inventing one", () => {
    const verdict = verdictWithReasons({
      score: null,
      convergence: "unknown",
      metrics: { ...numbers, loss_reduction_percent: null },
    });
    expect(verdict?.score).toBeNull();
    expect(verdict?.reasons).toHaveLength(1);
    expect(verdict?.reasons[0]).toMatch(/not rated/);
    expect(verdictWithReasons(null)).toBeNull();
  });
});
