import { describe, expect, it } from "vitest";

import { REDUCTION_BANDS, reductionBand } from "./bands";

describe("reduction bands", () => {
  it("are ordered highest first, so the first band a reduction exceeds is its best", () => {
    const thresholds = REDUCTION_BANDS.map((band) => band.above);
    expect(thresholds).toEqual([...thresholds].sort((a, b) => b - a));
    expect(REDUCTION_BANDS.map((band) => band.score)).toEqual([5, 4, 3, 2]);
  });

  it("take a reduction strictly above a threshold only", () => {
    expect(reductionBand(50)?.score).toBe(4);
    expect(reductionBand(50.0001)?.score).toBe(5);
    expect(reductionBand(5)).toBeUndefined();
    expect(reductionBand(-10)).toBeUndefined();
  });
});
