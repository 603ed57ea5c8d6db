import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { ChartMarker, LossPoint } from "../lib/chart";
import { LossChart } from "./LossChart";

const render = (points: LossPoint[], markers?: ChartMarker[]) =>
  renderToStaticMarkup(createElement(LossChart, { points, markers }));

/** Each drawing (wide, narrow) with its plot box and every coordinate it draws a point at. */
function drawings(html: string) {
  return [...html.matchAll(/<svg[^>]*data-variant="(\w+)"[\s\S]*?<\/svg>/g)].map((match) => {
    const svg = match[0];
    const [left = 0, top = 0, right = 0, bottom = 0] = /data-plot="([^"]+)"/
      .exec(svg)![1]!
      .split(" ")
      .map(Number);
    const coordinates = [
      ...[...svg.matchAll(/ d="([^"]+)"/g)].flatMap((d) =>
        [...d[1]!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((c) => [Number(c[1]), Number(c[2])]),
      ),
      ...[...svg.matchAll(/<circle[^>]*cx="([^"]+)" cy="([^"]+)"/g)].map((c) => [
        Number(c[1]),
        Number(c[2]),
      ]),
    ];
    return { variant: match[1], svg, box: { left, top, right, bottom }, coordinates };
  });
}

/** A demo-like run: falling training loss, a validation value every 20 steps, the last one at the end. */
function run(steps: number): LossPoint[] {
  return Array.from({ length: steps }, (_, i) => ({
    step: i + 1,
    training_loss: 2.9 * Math.exp(-i / 50) + 0.35 + 0.05 * Math.sin(i),
    validation_loss: (i + 1) % 20 === 0 || i === steps - 1 ? 3 * Math.exp(-i / 60) + 0.4 : null,
  }));
}

describe("LossChart", () => {
  it("draws every point it is given (the API has already downsampled the history)", () => {
    const points = Array.from({ length: 1_000 }, (_, i) => ({
      step: i + 1,
      training_loss: 2 - i / 1_000,
      validation_loss: i % 100 === 99 ? 2.1 - i / 1_000 : null,
    }));
    const html = render(points);
    const training = /<path[^>]*data-series="training"[^>]*>/.exec(html)?.[0] ?? "";
    expect(training).toContain('data-drawn-points="1000"');
    expect(training.match(/[ML]\d/g)).toHaveLength(1_000);
    expect(html).toContain('data-validation-points="10"');
    expect(html).toContain('data-last-step="1000"');
  });

  // Issue 11, item 1: on 224- and 328-step runs the axis ended at step 200.
  it.each([224, 328, 37, 1_000])(
    "puts every point of a %i-step run inside the plot, in both drawings",
    (steps) => {
      const found = drawings(render(run(steps)));
      expect(found.map((d) => d.variant)).toEqual(["wide", "narrow"]);
      for (const { variant, box, coordinates } of found) {
        expect(coordinates.length, variant).toBeGreaterThan(steps);
        for (const [cx, cy] of coordinates) {
          expect(cx, `${variant} x`).toBeGreaterThanOrEqual(box.left - 0.1);
          expect(cx, `${variant} x`).toBeLessThanOrEqual(box.right + 0.1);
          expect(cy, `${variant} y`).toBeGreaterThanOrEqual(box.top - 0.1);
          expect(cy, `${variant} y`).toBeLessThanOrEqual(box.bottom + 0.1);
        }
      }
    },
  );

  it("draws a history of one point as a dot, with whole-step ticks", () => {
    const html = render([{ step: 1, training_loss: 1, validation_loss: null }]);
    for (const { svg, box, coordinates } of drawings(html)) {
      expect(svg).toContain('data-dot="training"');
      expect(coordinates).toHaveLength(1);
      const [[cx, cy]] = coordinates as [[number, number]];
      expect(cx).toBeGreaterThan(box.left);
      expect(cy).toBeGreaterThan(box.top);
      expect(cy).toBeLessThan(box.bottom);
      const stepLabels = [
        ...svg.matchAll(new RegExp(`<text[^>]* y="${box.bottom + 20}"[^>]*>([^<]+)</text>`, "g")),
      ].map((m) => m[1]);
      expect(stepLabels).toEqual(["0", "1", "2"]);
    }
  });

  it("draws labelled markers at their steps, inside the plot, and names them for screen readers", () => {
    const html = render(run(224), [
      { step: 140, label: "Best step", kind: "best_step" },
      { step: 240, label: "Overfitting starts", kind: "overfitting_onset" },
    ]);
    for (const { svg, box } of drawings(html)) {
      for (const step of [140, 240]) {
        const marker = new RegExp(
          `<g data-marker="\\w+" data-step="${step}"><line x1="([\\d.]+)"`,
        ).exec(svg);
        expect(marker, `marker at ${step}`).not.toBeNull();
        const x = Number(marker![1]);
        expect(x).toBeGreaterThan(box.left);
        expect(x).toBeLessThanOrEqual(box.right);
      }
      expect(svg).toContain(">Best step</text>");
      expect(svg).toContain(">Overfitting starts</text>");
    }
    expect(html).toContain("Marked: Best step at step 140.");
  });

  it("says which steps the table shows with a correct ordinal", () => {
    const html = render(run(328));
    expect(html).toContain("Every 2nd step shown (328 steps logged)");
    expect(html).not.toContain("2th");
  });

  it("says there is nothing to draw when no finite loss was logged", () => {
    const html = render([{ step: 1, training_loss: Number.NaN, validation_loss: null }]);
    expect(html).toContain("No loss values were logged");
    expect(html).not.toContain("<svg");
  });
});
