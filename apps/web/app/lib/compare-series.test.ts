import { describe, expect, it } from "vitest";

import { compareSeries } from "./compare-series";

const points = [
  { step: 1, epoch: 0, training_loss: 2, validation_loss: null },
  { step: 50, epoch: null, training_loss: 1.8, validation_loss: 1.9 },
  { step: 100, epoch: 1, training_loss: 1.5, validation_loss: 1.6 },
  { step: 150, epoch: 1.5, training_loss: null, validation_loss: 1.4 },
];

describe("compareSeries", () => {
  it("puts every finite loss at its step when aligned by step", () => {
    expect(compareSeries(points, "step")).toEqual({
      training: [
        { step: 1, value: 2 },
        { step: 50, value: 1.8 },
        { step: 100, value: 1.5 },
      ],
      validation: [
        { step: 50, value: 1.9 },
        { step: 100, value: 1.6 },
        { step: 150, value: 1.4 },
      ],
    });
  });

  it("puts losses at their epoch when aligned by epoch, leaving out points without one", () => {
    expect(compareSeries(points, "epoch")).toEqual({
      training: [
        { step: 0, value: 2 },
        { step: 1, value: 1.5 },
      ],
      validation: [
        { step: 1, value: 1.6 },
        { step: 1.5, value: 1.4 },
      ],
    });
  });
});
