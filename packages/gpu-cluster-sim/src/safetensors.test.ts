import { describe, expect, it } from "vitest";

import {
  CHUNK_BYTES,
  safetensorsFile,
  safetensorsLayout,
  safetensorsStream,
  sha256OfFile,
} from "./index";
import { LLAMA_PROJECTIONS, parseSafetensorsHeader, sha256Hex } from "./testing/helpers";

const KiB = 1024;
const MiB = 1024 * KiB;

function readAll(chunks: Iterable<Buffer>): Buffer {
  return Buffer.concat([...chunks]);
}

describe("safetensorsLayout / safetensorsFile", () => {
  it.each([
    [2048, {}],
    [4 * KiB, {}],
    [256 * KiB, {}],
    [1_000_003, {}],
    [1 * MiB, { dtype: "F32" as const, rank: 64 }],
    [3 * MiB + 5, { targetModules: [...LLAMA_PROJECTIONS] }],
  ])("a %i-byte request yields a valid file of exactly that size (%o)", (size, extra) => {
    const spec = { adapterSizeBytes: size, ...extra };
    const file = safetensorsFile("job-size", spec);
    const bytes = readAll(file.chunks());
    expect(file.size).toBe(size);
    expect(bytes.length).toBe(size);
    const header = parseSafetensorsHeader(bytes, bytes.length);
    expect(header.metadata).toEqual({ format: "pt" });
    const rank = "rank" in extra ? extra.rank : 16;
    const dtype = "dtype" in extra ? extra.dtype : "F16";
    const modules = "targetModules" in extra ? extra.targetModules : ["q_proj", "v_proj"];
    const layout = safetensorsLayout(spec);
    for (const module of modules) {
      const parent = ["gate_proj", "up_proj", "down_proj"].includes(module) ? "mlp" : "self_attn";
      const a = header.tensors.get(
        `base_model.model.model.layers.0.${parent}.${module}.lora_A.weight`,
      );
      const b = header.tensors.get(
        `base_model.model.model.layers.${layout.layers - 1}.${parent}.${module}.lora_B.weight`,
      );
      expect(a).toMatchObject({ dtype, shape: [rank, layout.hiddenSize] });
      expect(b).toMatchObject({ dtype, shape: [layout.hiddenSize, rank] });
    }
    expect(header.tensors.size).toBe(layout.tensorCount);
  });

  it("sizes multi-GiB files exactly without generating them", () => {
    for (const size of [1024 * MiB, 5 * 1024 * MiB + 3]) {
      const layout = safetensorsLayout({ adapterSizeBytes: size, rank: 64 });
      expect(layout.totalSize).toBe(size);
      expect(layout.header.length + layout.bodyLength).toBe(size);
      const header = parseSafetensorsHeader(layout.header, size);
      expect(header.dataLength).toBe(layout.bodyLength);
      // The LoRA tensors carry the bulk; the header's trailing spaces only absorb the remainder.
      expect(layout.paddingBytes).toBeLessThan(size / 100);
      // Nothing but the adapter's own tensors, and every tensor byte indexed (no holes).
      expect(header.tensors.size).toBe(layout.adapterTensors.length);
      expect(
        layout.header.subarray(8 + layout.headerJsonLength).every((byte) => byte === 0x20),
      ).toBe(true);
    }
  });

  it("refuses a size too small for the rank and modules", () => {
    expect(() => safetensorsLayout({ adapterSizeBytes: 2048, rank: 1024 })).toThrow(/too small/);
    expect(() => safetensorsLayout({ adapterSizeBytes: 16_943, rank: 256 })).toThrow(
      "adapterSizeBytes 16943 is too small for rank 256 × 2 modules (F16): this spec needs at least 16944 bytes",
    );
  });

  it("is deterministic per job id and differs between job ids", () => {
    const spec = { adapterSizeBytes: 2 * MiB + 17 };
    const first = readAll(safetensorsStream("job-a", spec));
    const again = readAll(safetensorsStream("job-a", spec));
    const other = readAll(safetensorsStream("job-b", spec));
    expect(sha256Hex(first)).toBe(sha256Hex(again));
    expect(sha256Hex(first)).not.toBe(sha256Hex(other));
    // Same layout, different tensor bytes.
    const headerLength = 8 + Number(first.readBigUInt64LE(0));
    expect(first.subarray(0, headerLength).equals(other.subarray(0, headerLength))).toBe(true);
  });

  it("any byte range equals the same slice of the full file, across chunk boundaries", () => {
    const spec = { adapterSizeBytes: 3 * CHUNK_BYTES + 12_345 };
    const full = readAll(safetensorsStream("job-range", spec));
    const ranges: [number, number][] = [
      [0, 1],
      [0, 100],
      [5, 70_000],
      [CHUNK_BYTES - 3, CHUNK_BYTES + 5],
      [CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 2],
      [full.length - 7, full.length],
      [123_457, full.length],
    ];
    for (const [start, end] of ranges) {
      const part = readAll(safetensorsStream("job-range", spec, { start, end }));
      expect(part.equals(full.subarray(start, end)), `range ${start}-${end}`).toBe(true);
    }
    for (const chunk of safetensorsStream("job-range", spec))
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_BYTES);
  });

  it("sha256OfFile hashes the streamed bytes", async () => {
    const file = safetensorsFile("job-hash", { adapterSizeBytes: 1 * MiB + 1 });
    expect(await sha256OfFile(file)).toBe(sha256Hex(readAll(file.chunks())));
  });

  it("broken variants keep the size but break the header", () => {
    const spec = { adapterSizeBytes: 64 * KiB };
    const beyond = readAll(safetensorsFile("job-bad", spec, "length_beyond_file").chunks());
    const notJson = readAll(safetensorsFile("job-bad", spec, "not_json").chunks());
    expect(beyond.length).toBe(64 * KiB);
    expect(notJson.length).toBe(64 * KiB);
    expect(() => parseSafetensorsHeader(beyond, beyond.length)).toThrow(/beyond the file/);
    expect(() => parseSafetensorsHeader(notJson, notJson.length)).toThrow(SyntaxError);
  });
});

describe("stable bytes", () => {
  // Pinned when the simulator's padding tensor left the file (the header's spaces take the
  // remainder): the same spec must keep producing the very same file.
  it.each([
    ["pin-default", {}, "420e553305f82c5178eb723199b04ef63a10ab558f6ac1ca92d027039c4776b2"],
    [
      "pin-r64",
      { rank: 64, dtype: "F32" as const, adapterSizeBytes: 1 * MiB },
      "abb9c133a288b54f6becb90a02ee8b0f43bc53739ce8ef811d31f28bd3cb9367",
    ],
    [
      "pin-r8",
      { rank: 8, adapterSizeBytes: 8 * KiB, targetModules: [...LLAMA_PROJECTIONS] },
      "cfb667fa94c596c640d55942b3c5d33b27074f68aa933a8029e9e1e318068a09",
    ],
  ])("%s keeps its sha256", async (jobId, spec, sha256) => {
    expect(await sha256OfFile(safetensorsFile(jobId, spec))).toBe(sha256);
  });
});
