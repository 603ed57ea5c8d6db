import { describe, expect, it } from "vitest";

import { formatBytes, formatCost, formatDate, formatDuration, pluralize } from "./format";

describe("formatting", () => {
  it("formats sizes and durations for people", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
    expect(formatDuration(1.5)).toBe("1 h 30 min");
    expect(formatDuration(0.25)).toBe("15 min");
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
