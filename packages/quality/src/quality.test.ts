import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { calculateQualityMetrics, type MetricsPointInput } from "./index";

const p = (
  training_loss: number | null,
  validation_loss: number | null = null,
): MetricsPointInput => ({
  training_loss,
  validation_loss,
});

/** Two training points whose reduction is exactly `percent` of an initial loss of 100. */
const withReduction = (percent: number, validation: number | null = null) => [
  p(100),
  p(100 - percent, validation),
];

describe("calculateQualityMetrics: rating bands (SPEC §5)", () => {
  it.each([
    [70, 5, "excellent"],
    [50.0001, 5, "excellent"],
    [50, 4, "good"],
    [30.0001, 4, "good"],
    [30, 3, "fair"],
    [15.0001, 3, "fair"],
    [15, 2, "poor"],
    [5.0001, 2, "poor"],
    [5, 1, "poor"],
    [0, 1, "poor"],
    [-40, 1, "poor"],
  ] as const)("a %s %% reduction scores %s (%s)", (percent, score, quality) => {
    const result = calculateQualityMetrics(withReduction(percent));
    expect(result.overall_score).toBe(score);
    expect(result.convergence_quality).toBe(quality);
    expect(result.loss_reduction_percent).toBeCloseTo(percent, 6);
  });

  it("uses the first and last finite training losses", () => {
    const result = calculateQualityMetrics([
      p(null),
      p(NaN),
      p(2),
      p(1.5),
      p(1),
      p(Infinity),
      p(null),
    ]);
    expect(result.loss_reduction_percent).toBe(50);
    expect(result.final_training_loss).toBe(1);
    expect(result.overall_score).toBe(4);
  });
});

describe("calculateQualityMetrics: models that cannot be rated", () => {
  it("an empty history is unknown, with every field null", () => {
    expect(calculateQualityMetrics([])).toEqual({
      overall_score: null,
      convergence_quality: "unknown",
      final_training_loss: null,
      final_validation_loss: null,
      perplexity: null,
      loss_reduction_percent: null,
    });
  });

  it("one finite training loss is unknown, never a made-up 3 stars", () => {
    const result = calculateQualityMetrics([p(2.1, 2.3), p(NaN), p(null, 2.2)]);
    expect(result.overall_score).toBeNull();
    expect(result.convergence_quality).toBe("unknown");
    expect(result.loss_reduction_percent).toBeNull();
    expect(result.final_training_loss).toBe(2.1);
    expect(result.final_validation_loss).toBe(2.2);
    expect(result.perplexity).toBeCloseTo(Math.exp(2.2));
  });

  it.each([0, -1])("an initial loss of %s is unknown", (initial) => {
    const result = calculateQualityMetrics([p(initial), p(0.5)]);
    expect(result.overall_score).toBeNull();
    expect(result.convergence_quality).toBe("unknown");
    expect(result.loss_reduction_percent).toBeNull();
    expect(result.final_training_loss).toBe(0.5);
  });

  it("stays unknown whatever its validation loss (no overfit verdict on an unrated model)", () => {
    const result = calculateQualityMetrics([p(2, 9)]);
    expect(result.convergence_quality).toBe("unknown");
    expect(result.overall_score).toBeNull();
  });
});

describe("calculateQualityMetrics: overfitting", () => {
  it("drops one star and says overfit when validation is more than 0.5 above training", () => {
    const result = calculateQualityMetrics([p(3), p(1, 1.6)]);
    expect(result.loss_reduction_percent).toBeCloseTo(66.67, 1);
    expect(result.convergence_quality).toBe("overfit");
    expect(result.overall_score).toBe(4);
  });

  it("a gap of exactly 0.5 is not overfitting", () => {
    const result = calculateQualityMetrics([p(4), p(1, 1.5)]);
    expect(result.convergence_quality).toBe("excellent");
    expect(result.overall_score).toBe(5);
  });

  it.each([
    [40, 4, 3],
    [20, 3, 2],
    [10, 2, 2],
    [0, 1, 1],
  ] as const)("a %s %% reduction (%s stars) ends at %s stars", (percent, before, after) => {
    expect(calculateQualityMetrics(withReduction(percent)).overall_score).toBe(before);
    const overfit = calculateQualityMetrics(withReduction(percent, 100 - percent + 0.6));
    expect(overfit.convergence_quality).toBe("overfit");
    expect(overfit.overall_score).toBe(after);
  });

  it("uses the last logged validation loss even when later points have none", () => {
    // Validation every N steps: the final point has no validation loss; an earlier one does.
    const result = calculateQualityMetrics([p(3, 3.1), p(2, 2.9), p(1), p(1, null)]);
    expect(result.final_validation_loss).toBe(2.9);
    expect(result.convergence_quality).toBe("overfit");
    expect(result.overall_score).toBe(4);
  });
});

describe("calculateQualityMetrics: perplexity and non-finite values", () => {
  it("perplexity is exp(final validation loss)", () => {
    expect(calculateQualityMetrics([p(2), p(1, 0.7)]).perplexity).toBeCloseTo(Math.exp(0.7), 12);
  });

  it("perplexity that overflows is null, not Infinity", () => {
    const result = calculateQualityMetrics([p(2), p(1, 1000)]);
    expect(result.final_validation_loss).toBe(1000);
    expect(result.perplexity).toBeNull();
  });

  it("NaN and ±Infinity count as missing", () => {
    const result = calculateQualityMetrics([
      p(-Infinity, NaN),
      p(2, 1.4),
      p(1, Infinity),
      p(NaN, -Infinity),
    ]);
    expect(result.final_training_loss).toBe(1);
    expect(result.final_validation_loss).toBe(1.4);
    expect(result.loss_reduction_percent).toBe(50);
    expect(result.overall_score).toBe(4);
  });

  it("a subnormal initial loss rates the rise as 1 star without reporting Infinity", () => {
    const result = calculateQualityMetrics([p(5e-324), p(10)]);
    expect(result.overall_score).toBe(1);
    expect(result.loss_reduction_percent).toBeNull();
  });

  it("ignores extra fields and non-number values", () => {
    const points = [
      { step: 1, epoch: 0, training_loss: 2, validation_loss: null, timestamp: "x" },
      { step: 2, training_loss: "1" as unknown as number, validation_loss: null },
      { step: 3, training_loss: 1, validation_loss: null },
    ];
    expect(calculateQualityMetrics(points).loss_reduction_percent).toBe(50);
  });
});

describe("calculateQualityMetrics: properties", () => {
  const anyLoss = fc.oneof(
    fc.double({ noNaN: false }),
    fc.constantFrom(null, NaN, Infinity, -Infinity, 0, -0, 5e-324),
    fc.double({ min: 0.001, max: 20, noNaN: true }),
  );
  const history = fc.array(fc.record({ training_loss: anyLoss, validation_loss: anyLoss }), {
    maxLength: 40,
  });

  it("the score is null or a whole number of stars from 1 to 5", () => {
    fc.assert(
      fc.property(history, (points) => {
        const { overall_score } = calculateQualityMetrics(points);
        expect([null, 1, 2, 3, 4, 5]).toContain(overall_score);
      }),
      { numRuns: 2000 },
    );
  });

  it("the output never holds NaN or Infinity", () => {
    fc.assert(
      fc.property(history, (points) => {
        for (const value of Object.values(calculateQualityMetrics(points))) {
          if (typeof value === "number") expect(Number.isFinite(value)).toBe(true);
        }
        expect(JSON.parse(JSON.stringify(calculateQualityMetrics(points)))).toEqual(
          calculateQualityMetrics(points),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("overfitting never raises a score, and never takes it below 2 unless it was 1", () => {
    fc.assert(
      fc.property(history, fc.double({ min: 0.5000001, max: 100, noNaN: true }), (points, gap) => {
        const base = calculateQualityMetrics(points.map((q) => ({ ...q, validation_loss: null })));
        if (base.overall_score === null || base.final_training_loss === null) return;
        const overfit = calculateQualityMetrics([
          ...points.map((q) => ({ ...q, validation_loss: null })),
          p(null, base.final_training_loss + gap),
        ]);
        const validation = base.final_training_loss + gap;
        // Float rounding can shrink the gap of huge losses to 0.5 or less: not an overfit case.
        if (!Number.isFinite(validation) || validation - base.final_training_loss <= 0.5) return;
        expect(overfit.convergence_quality).toBe("overfit");
        expect(overfit.overall_score!).toBeLessThanOrEqual(base.overall_score);
        expect(overfit.overall_score).toBe(
          base.overall_score === 1 ? 1 : Math.max(2, base.overall_score - 1),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("is pure: the same points give the same answer and are not modified", () => {
    fc.assert(
      fc.property(history, (points) => {
        const copy = structuredClone(points);
        expect(calculateQualityMetrics(points)).toEqual(calculateQualityMetrics(copy));
        expect(points).toEqual(copy);
      }),
    );
  });
});
