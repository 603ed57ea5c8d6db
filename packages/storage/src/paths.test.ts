import { describe, expect, it } from "vitest";

import { UnsafeObjectPathError } from "./errors";
import { assertSafeObjectPath, isSafeObjectPath, normalizeFolderPrefix } from "./paths";

describe("object paths", () => {
  it.each([
    "3f1d2c4e-0000-4000-8000-000000000001/9a8b/adapter_model.safetensors",
    "u/a/model (1).bin",
    "u/a/Modèl ü.bin",
    "u/a/a&b=c+d;e,f@g$h!i'j.bin",
    "file.bin",
  ])("accepts %j", (path) => {
    expect(isSafeObjectPath(path)).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["/abs/file", "absolute"],
    ["../x", "'..'"],
    ["a/../../x", "'..'"],
    ["a/./x", "'.'"],
    ["a//x", "empty segment"],
    ["a/", "empty segment"],
    ["a\\x", "backslash"],
    ["a/\u0000x", "control"],
    ["a/x\r\n", "control"],
    ["a/x\u007f", "control"],
    ["a/x?y", "'?'"],
    ["a/x#y", "'#'"],
    ["a/x%2e", "'%'"],
    ["C:/x", "drive"],
    ["a/ /x", "blank"],
    ["a/.mad-upload-123.tmp", "reserved"],
    ["a/" + "x".repeat(1100), "longer"],
  ])("refuses %j (%s)", (path, reason) => {
    expect(isSafeObjectPath(path)).toBe(false);
    expect(() => assertSafeObjectPath(path)).toThrow(UnsafeObjectPathError);
    expect(() => assertSafeObjectPath(path)).toThrow(reason);
  });

  it("normalizes list prefixes", () => {
    expect(normalizeFolderPrefix("")).toBe("");
    expect(normalizeFolderPrefix("u/a/")).toBe("u/a");
    expect(normalizeFolderPrefix("u/a")).toBe("u/a");
    expect(() => normalizeFolderPrefix("u//")).toThrow(UnsafeObjectPathError);
  });
});
