import { describe, expect, it } from "vitest";

import { productionStartSettings, scriptStartSettings } from "./start-settings";

describe("the ingester's start scripts", () => {
  it("run development (tsx) and production (compiled) with the same memory settings", () => {
    const production = productionStartSettings();
    const development = scriptStartSettings("start");
    expect(production.env).toEqual({ MALLOC_ARENA_MAX: "1" });
    expect(production.nodeFlags).toContain("--max-semi-space-size=1");
    expect(production.nodeFlags).toContain("--external-memory-accounted-in-global-limit");
    expect(development.env).toEqual(production.env);
    // `--import tsx` is development's only extra: it stops the flags (`--import` takes a value).
    expect(development.nodeFlags).toEqual([...production.nodeFlags, "--import"]);
  });

  it("refuses a script that does not start Node directly", () => {
    expect(() => scriptStartSettings("build")).toThrow(/must be/);
  });
});
