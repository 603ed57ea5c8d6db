import { describe, expect, it } from "vitest";

import { downsample, niceTicks } from "./chart";
import { formatBytes, formatCost, formatDate, formatDuration, pluralize } from "./format";
import { listHref, parseListQuery, safeBackHref } from "./list-query";
import { explainQuality } from "./quality";
import { safeRedirectPath } from "./safe-redirect";
import { vllmSnippet } from "./snippets";

describe("list query", () => {
  it("round-trips through listHref and leaves defaults out", () => {
    const parsed = parseListQuery(new URLSearchParams("q=support&sort=quality&page=3"));
    expect(parsed).toEqual({
      ok: true,
      query: { q: "support", sort: "quality", page: 3, limit: 12 },
    });
    if (parsed.ok) expect(listHref(parsed.query)).toBe("/models?q=support&sort=quality&page=3");
    expect(listHref({ page: 1, sort: "recent", q: "", limit: 12 })).toBe("/models");
  });

  it("sanitises the back link", () => {
    expect(safeBackHref("/models?page=2&sort=evil")).toBe("/models?page=2");
    expect(safeBackHref("/modelsX")).toBe("/models");
    expect(safeBackHref("//evil.example/models")).toBe("/models");
    expect(safeBackHref(null)).toBe("/models");
  });
});

describe("safeRedirectPath", () => {
  it.each([
    ["/models?x=1#top", "/models?x=1#top"],
    ["https://evil.example", "/models"],
    ["//evil.example", "/models"],
    ["/\\evil.example", "/models"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    ["/a\nb", "/models"],
    [42, "/models"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });
});

describe("chart helpers", () => {
  it("chooses round ticks covering the range", () => {
    expect(niceTicks(0.53, 2.41, 5)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(1, 200, 6)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(3, 3, 5).length).toBeGreaterThan(1);
  });

  it("keeps the ends and the extremes when downsampling", () => {
    const series = Array.from({ length: 5000 }, (_, i) => ({
      step: i + 1,
      value: i === 2500 ? 99 : 1,
    }));
    const kept = downsample(series, 200);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept[0]).toEqual(series[0]);
    expect(kept.at(-1)).toEqual(series.at(-1));
    expect(kept.some((p) => p.value === 99)).toBe(true);
  });
});

describe("quality explanation", () => {
  it("names the band and the overfitting penalty", () => {
    const lines = explainQuality({
      overall_score: 4,
      convergence_quality: "overfit",
      final_training_loss: 0.8,
      final_validation_loss: 1.6,
      loss_reduction_percent: 65,
    });
    expect(lines[0]).toMatch(/65\.0 %.*more than 50 %.*5 stars/);
    expect(lines[1]).toMatch(/0\.80 above.*overfitting.*5 → 4/);
  });

  it("says why a model is not rated instead of inventing a score", () => {
    expect(explainQuality(null)[0]).toMatch(/not rated/);
  });
});

describe("formatting", () => {
  it("formats sizes and durations for people", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
    expect(formatDuration(1.5)).toBe("1 h 30 min");
    expect(formatDuration(0.25)).toBe("15 min");
  });

  it("quotes odd base-model names in the vLLM command", () => {
    expect(vllmSnippet("org/model; rm -rf /", "dir")).toContain("'org/model; rm -rf /'");
  });
});

describe("formatting fast paths", () => {
  it("formats dates exactly as Intl does, including the first and last day of each month", () => {
    const intl = new Intl.DateTimeFormat("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    });
    for (let month = 0; month < 12; month++) {
      for (const date of [
        new Date(Date.UTC(2026, month, 1)),
        new Date(Date.UTC(2026, month + 1, 0, 23, 59, 59, 999)),
        new Date(Date.UTC(1999, month, 15, 0, 0, 0)),
      ]) {
        expect(formatDate(date.toISOString())).toBe(intl.format(date));
      }
    }
    expect(formatDate("0999-06-01T00:00:00.000Z")).toBe(
      intl.format(new Date("0999-06-01T00:00:00Z")),
    );
    expect(formatDate("2026-11-23T23:30:00-05:00")).toBe("Nov 24, 2026");
    expect(formatDate("not a date")).toBe("—");
    expect(formatDate(null)).toBe("—");
  });

  it("formats costs as Intl does, also when repeated", () => {
    const intl = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
    for (const value of [0, -0, 0.004, 1, 9.37, 9.37, 1234.5, -12.3, 1e9]) {
      expect(formatCost(value)).toBe(intl.format(value));
    }
    expect(formatCost(Number.NaN)).toBe("—");
    expect(formatCost(null)).toBe("—");
  });

  it("pluralizes with grouping only where a count needs it", () => {
    expect(pluralize(1, "model")).toBe("1 model");
    expect(pluralize(0, "model")).toBe("0 models");
    expect(pluralize(999, "model")).toBe("999 models");
    expect(pluralize(1234, "model")).toBe("1,234 models");
  });
});
