import { describe, expect, it } from "vitest";

import { epochBoundaries } from "./epoch-boundaries";

const at = (pairs: [number, number | null][]) => pairs.map(([step, epoch]) => ({ step, epoch }));

describe("epochBoundaries", () => {
  it("marks the first step of every whole epoch after the first point", () => {
    expect(
      epochBoundaries(
        at([
          [1, 0],
          [2, 0.5],
          [3, 1],
          [4, 1.5],
          [5, 2.25],
        ]),
      ),
    ).toEqual([
      { epoch: 1, step: 3 },
      { epoch: 2, step: 5 },
    ]);
  });

  it("skips points without an epoch, marks each epoch of a jump once and never twice", () => {
    expect(
      epochBoundaries(
        at([
          [1, null],
          [2, 0.2],
          [3, null],
          [4, 2.1],
          [5, 1.9],
          [6, 2.5],
          [7, 3],
        ]),
      ),
    ).toEqual([
      { epoch: 1, step: 4 },
      { epoch: 2, step: 4 },
      { epoch: 3, step: 7 },
    ]);
    expect(epochBoundaries([])).toEqual([]);
    expect(epochBoundaries(at([[1, null]]))).toEqual([]);
  });
});
