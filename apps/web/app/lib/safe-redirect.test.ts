import { describe, expect, it } from "vitest";

import { safeRedirectPath } from "./safe-redirect";

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
