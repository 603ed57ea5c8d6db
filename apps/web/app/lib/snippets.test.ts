import { describe, expect, it } from "vitest";

import { vllmSnippet } from "./snippets";

describe("usage snippets", () => {
  it("quotes odd base-model names in the vLLM command", () => {
    expect(vllmSnippet("org/model; rm -rf /", "dir")).toContain("'org/model; rm -rf /'");
  });
});
