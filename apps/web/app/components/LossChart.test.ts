import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { LossChart } from "./LossChart";

describe("LossChart", () => {
  it("draws every point it is given (the API has already downsampled the history)", () => {
    const points = Array.from({ length: 1_000 }, (_, i) => ({
      step: i + 1,
      training_loss: 2 - i / 1_000,
      validation_loss: i % 100 === 99 ? 2.1 - i / 1_000 : null,
    }));
    const html = renderToStaticMarkup(createElement(LossChart, { points }));
    const training = /<path[^>]*data-series="training"[^>]*>/.exec(html)?.[0] ?? "";
    expect(training).toContain('data-drawn-points="1000"');
    expect(training.match(/[ML]\d/g)).toHaveLength(1_000);
    expect(html).toContain('data-validation-points="10"');
    expect(html).toContain('data-last-step="1000"');
  });

  it("says there is nothing to draw when no finite loss was logged", () => {
    const html = renderToStaticMarkup(
      createElement(LossChart, {
        points: [{ step: 1, training_loss: Number.NaN, validation_loss: null }],
      }),
    );
    expect(html).toContain("No loss values were logged");
    expect(html).not.toContain("<svg");
  });
});
