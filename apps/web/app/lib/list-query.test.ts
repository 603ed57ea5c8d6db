import { describe, expect, it } from "vitest";

import { listHref, parseListQuery, safeBackHref } from "./list-query";

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
