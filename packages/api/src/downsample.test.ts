import { readFile } from "node:fs/promises";

import { describe, expect, it } from "vitest";

import { downsampleLossCurve, largestTriangleThreeBuckets, type LossPoint } from "./downsample";

const curve = (n: number, f: (i: number) => number, validationEvery = 0): LossPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    epoch: i / n,
    training_loss: f(i),
    validation_loss: validationEvery && i % validationEvery === 0 ? f(i) + 0.1 : null,
  }));

describe("largestTriangleThreeBuckets", () => {
  it("keeps the ends and returns at most the threshold, ascending", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 30));
    const picked = largestTriangleThreeBuckets(xs, ys, 50);
    expect(picked).toHaveLength(50);
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBe(999);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(largestTriangleThreeBuckets([1, 2], [1, 2], 1)).toEqual([0, 1]);
  });

  it("keeps a single spike that every-n-th sampling would miss", () => {
    const n = 10_000;
    const ys = Array.from({ length: n }, (_, i) => (i === 4_321 ? 50 : 1));
    const picked = largestTriangleThreeBuckets(
      ys.map((_, i) => i),
      ys,
      100,
    );
    expect(picked).toContain(4_321);
  });
});

describe("downsampleLossCurve", () => {
  it("returns short curves unchanged", () => {
    const points = curve(100, (i) => 2 - i / 100, 10);
    expect(downsampleLossCurve(points, 300)).toEqual(points);
  });

  it("keeps all sparse validation points within the budget", () => {
    const points = curve(20_000, (i) => 2 * Math.exp(-i / 5000), 500);
    const result = downsampleLossCurve(points, 300);
    expect(result.length).toBeLessThanOrEqual(300);
    expect(result.filter((p) => p.validation_loss !== null)).toHaveLength(40);
    expect(result[0]!.step).toBe(1);
    expect(result.at(-1)!.step).toBe(20_000);
  });

  it("downsamples validation too when it is logged on most steps", () => {
    const points = curve(5_000, (i) => 1 + Math.cos(i / 100), 1);
    const result = downsampleLossCurve(points, 200);
    expect(result.length).toBeLessThanOrEqual(200);
    expect(result.filter((p) => p.validation_loss !== null).length).toBeGreaterThanOrEqual(100);
  });

  it("drops points without any finite loss when downsampling", () => {
    const points = curve(1_000, (i) => (i % 2 ? Number.NaN : 1));
    const result = downsampleLossCurve(
      points.map((p) => ({
        ...p,
        training_loss: Number.isFinite(p.training_loss) ? p.training_loss : null,
      })),
      100,
    );
    expect(result.every((p) => p.training_loss !== null)).toBe(true);
  });
});

describe("@mad/api/downsample", () => {
  it("imports nothing, so browser code can use it without the server", async () => {
    const source = await readFile(new URL("./downsample.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });
});
