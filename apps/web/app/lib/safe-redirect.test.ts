import { describe, expect, it } from "vitest";

import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/models?x=1#top", "/models?x=1#top"],
    ["/models/./a/../b", "/models/b"],
    ["https://evil.example", "/models"],
    ["//evil.example", "/models"],
    ["/\\evil.example", "/models"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
    ["/a\nb", "/models"],
    ["/a\u007fb", "/models"],
    ["models", "/models"],
    ["", "/models"],
    [42, "/models"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  // Each of these normalises to a protocol-relative `//evil.example…` (issue 11, item 11).
  it.each([
    "/..//evil.example",
    "/..//evil.example/phish",
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2E%2E//evil.example",
    "/%2e//evil.example",
    "/./..//evil.example?x=1",
  ])("refuses %s, which normalises to another host", (input) => {
    expect(safeRedirectPath(input)).toBe("/models");
    expect(safeRedirectPath(input, "")).toBe("");
  });

  it("never returns something a browser resolves to another origin", () => {
    const inputs = ["/..//x.example", "/%2F%2Fx.example", "/..%2F%2Fx.example", "/.%2E//x.example"];
    for (const input of inputs) {
      const result = safeRedirectPath(input);
      expect(new URL(result, "https://dashboard.example").origin, input).toBe(
        "https://dashboard.example",
      );
    }
  });
});
