import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { sha256sums } from "./sha256sums";

const run = promisify(execFile);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("sha256sums", () => {
  it("writes what GNU sha256sum -c accepts, escaping awkward names, and fails on changed bytes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sums-"));
    try {
      const files = { "plain.json": "{}", "with space.txt": "a b", "back\\slash.bin": "x" };
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      const text = sha256sums(
        Object.entries(files).map(([name, content]) => ({ name, sha256: sha256(content) })),
      );
      expect(text.split("\n").filter(Boolean)).toHaveLength(3);
      await writeFile(join(dir, "SHA256SUMS"), text);
      const ok = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir });
      expect(ok.stdout).toContain("with space.txt: OK");
      expect(ok.stdout).toContain("slash.bin: OK");
      await writeFile(join(dir, "plain.json"), "[]");
      const failed = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir }).then(
        () => "",
        (error: { stdout: string }) => error.stdout,
      );
      expect(failed).toContain("plain.json: FAILED");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a sha256 that is not 64 lowercase hex digits", () => {
    expect(() => sha256sums([{ name: "a", sha256: "ABC" }])).toThrow(RangeError);
  });
});
