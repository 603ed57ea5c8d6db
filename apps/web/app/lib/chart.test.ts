import { describe, expect, it } from "vitest";

import { niceTicks } from "./chart";

describe("chart helpers", () => {
  it("chooses round ticks covering the range", () => {
    expect(niceTicks(0.53, 2.41, 5)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(1, 200, 6)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(3, 3, 5).length).toBeGreaterThan(1);
  });
});
