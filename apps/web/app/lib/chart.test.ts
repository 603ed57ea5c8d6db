import { describe, expect, it } from "vitest";

import { chartGeometry, niceTicks, ordinal, type SeriesPoint } from "./chart";

const LAYOUT = {
  width: 760,
  height: 320,
  margin: { top: 16, right: 20, bottom: 48, left: 64 },
  xTickCount: 6,
  yTickCount: 5,
};

function expectEnclosed(ticks: number[], min: number, max: number) {
  expect(ticks[0]!).toBeLessThanOrEqual(min);
  expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
}

describe("niceTicks", () => {
  it("chooses round ticks that enclose the range", () => {
    expect(niceTicks(0.53, 2.41, 5)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(1, 200, 6, { integer: true })).toEqual([0, 50, 100, 150, 200]);
  });

  // The demo's 224- and 328-step runs once ended their axis at step 200.
  it.each([
    [1, 224],
    [1, 328],
    [10, 990],
    [0, 7],
    [5, 1_001],
  ])("steps %i … %i: the axis ends at or after the last step", (min, max) => {
    const ticks = niceTicks(min, max, 6, { integer: true });
    expectEnclosed(ticks, min, max);
    expect(ticks.every(Number.isInteger)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(8);
  });

  it.each([
    [0.0213, 2.71],
    [1.92, 1.97],
    [0.3, 4.4],
    [-0.5, 0.25],
    [1e-4, 3e-4],
  ])("losses %f … %f are enclosed too", (min, max) => {
    expectEnclosed(niceTicks(min, max, 5), min, max);
  });

  it("gives a single value a range around it, with whole steps for steps", () => {
    expect(niceTicks(1, 1, 6, { integer: true })).toEqual([0, 1, 2]);
    const loss = niceTicks(1.234, 1.234, 5);
    expectEnclosed(loss, 1.234, 1.234);
    expect(loss.length).toBeGreaterThan(1);
  });
});

describe("chartGeometry", () => {
  it("puts every point of a 224-step run, and every marker, inside the plot", () => {
    const series: SeriesPoint[] = Array.from({ length: 224 }, (_, i) => ({
      step: i + 1,
      value: 2.9 * Math.exp(-i / 40) + 0.31,
    }));
    const geometry = chartGeometry(series, LAYOUT, [230]);
    for (const p of series) {
      expect(geometry.x(p.step)).toBeGreaterThanOrEqual(geometry.plot.left);
      expect(geometry.x(p.step)).toBeLessThanOrEqual(geometry.plot.right);
      expect(geometry.y(p.value)).toBeGreaterThanOrEqual(geometry.plot.top);
      expect(geometry.y(p.value)).toBeLessThanOrEqual(geometry.plot.bottom);
    }
    expect(geometry.x(230)).toBeLessThanOrEqual(geometry.plot.right);
  });
});

describe("ordinal", () => {
  it.each([
    [1, "1st"],
    [2, "2nd"],
    [3, "3rd"],
    [4, "4th"],
    [11, "11th"],
    [12, "12th"],
    [13, "13th"],
    [21, "21st"],
    [102, "102nd"],
    [111, "111th"],
  ])("%i → %s", (n, expected) => {
    expect(ordinal(n)).toBe(expected);
  });
});
