import { Readable, type Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { describe, expect, it } from "vitest";

import { adapterConfig, resolveJobSpec, safetensorsFile } from "@mad/gpu-cluster-sim";

import {
  adapterConfigValidator,
  artifactFileNameSchema,
  InvalidArtifactFileError,
  SafetensorsValidator,
} from ".";

function safetensors(
  header: unknown,
  dataBytes: number,
  options: { lengthOverride?: bigint } = {},
): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(options.lengthOverride ?? BigInt(json.length));
  return Buffer.concat([length, json, Buffer.alloc(dataBytes, 7)]);
}

/** Runs bytes through a validator in small chunks; resolves with what came out. */
async function run(validator: Transform, bytes: Buffer, chunkSize = 5): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    validator,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

const tensorHeader = {
  __metadata__: { format: "pt" },
  "base_model.lora_A.weight": { dtype: "F16", shape: [4, 2], data_offsets: [0, 16] },
  "base_model.lora_B.weight": { dtype: "F32", shape: [2, 2], data_offsets: [16, 32] },
};

describe("SafetensorsValidator", () => {
  it("passes a well-formed file through unchanged, in any chunking", async () => {
    const file = safetensors(tensorHeader, 32);
    for (const chunkSize of [1, 3, 8, 1000]) {
      const validator = new SafetensorsValidator();
      expect((await run(validator, file, chunkSize)).equals(file)).toBe(true);
      expect(validator.summary).toMatchObject({
        tensorCount: 2,
        dataBytes: 32,
        metadata: { format: "pt" },
        tensors: [
          { name: "base_model.lora_A.weight", dtype: "F16", shape: [4, 2] },
          { name: "base_model.lora_B.weight", dtype: "F32", shape: [2, 2] },
        ],
      });
    }
  });

  it("accepts the simulator's real adapter", async () => {
    const spec = resolveJobSpec({ adapterSizeBytes: 8192 });
    const file = safetensorsFile("job-1", spec, "ok");
    const bytes = Buffer.concat([...file.chunks(0, file.size)]);
    await expect(run(new SafetensorsValidator(), bytes, 1000)).resolves.toHaveLength(8192);
  });

  const bad: Array<[string, Buffer, RegExp]> = [
    [
      "a header that is not JSON",
      Buffer.concat([safetensors({}, 0).subarray(0, 8), Buffer.from("{{")]),
      /ends inside its header|not valid JSON/,
    ],
    ["a zero header length", safetensors({}, 0, { lengthOverride: 0n }), /header length is 0/],
    [
      "an absurd header length",
      safetensors(tensorHeader, 32, { lengthOverride: 2n ** 40n }),
      /exceeds/,
    ],
    [
      "a header past the end of the file",
      safetensors(tensorHeader, 32, { lengthOverride: 10_000n }),
      /ends inside its header/,
    ],
    [
      "data shorter than the header says",
      safetensors(tensorHeader, 20),
      /is \d+ bytes but its header describes/,
    ],
    ["data longer than the header says", safetensors(tensorHeader, 40), /but its header describes/],
    [
      "offsets outside the data area",
      safetensors({ a: { dtype: "U8", shape: [4], data_offsets: [4, 8] } }, 8),
      /starts at 4, expected 0/,
    ],
    [
      "reversed offsets",
      safetensors({ a: { dtype: "U8", shape: [4], data_offsets: [8, 4] } }, 8),
      /data_offsets \[8, 4\]/,
    ],
    [
      "a size that does not fit dtype × shape",
      safetensors({ a: { dtype: "F32", shape: [4], data_offsets: [0, 8] } }, 8),
      /needs 16/,
    ],
    ["a header without tensors", safetensors({ __metadata__: {} }, 0), /lists no tensors/],
    [
      "a tensor without offsets",
      safetensors({ a: { dtype: "F32", shape: [1] } }, 4),
      /no valid dtype/,
    ],
    ["a header that is an array", safetensors([1, 2], 0), /not a JSON object/],
  ];
  it.each(bad)("fails %s", async (_title, bytes, message) => {
    const error = await run(new SafetensorsValidator(), bytes).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArtifactFileError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("adapter_config.json", () => {
  it("accepts a PEFT LoRA config", async () => {
    const validator = adapterConfigValidator();
    await run(validator, Buffer.from(JSON.stringify(adapterConfig({ rank: 8 }))));
    expect(validator.value).toMatchObject({
      r: 8,
      lora_alpha: 16,
      target_modules: ["q_proj", "v_proj"],
    });
  });

  it.each([
    ["not JSON", "{ r: 8", /not valid JSON/],
    [
      "JSON without the LoRA fields",
      JSON.stringify({ r: 8 }),
      /not a LoRA adapter config .*lora_alpha/,
    ],
    [
      "a rank that is not a number",
      JSON.stringify({
        r: "8",
        lora_alpha: 16,
        target_modules: ["q"],
        base_model_name_or_path: "m",
      }),
      /r:/,
    ],
  ])("fails %s", async (_title, text, message) => {
    await expect(run(adapterConfigValidator(), Buffer.from(text))).rejects.toThrow(message);
  });

  it("refuses more than 1 MiB without holding it", async () => {
    await expect(
      run(adapterConfigValidator(), Buffer.alloc(1024 * 1024 + 10, 32), 64 * 1024),
    ).rejects.toThrow(/larger than/);
  });
});

describe("file names from the cluster", () => {
  it.each([
    "adapter_model.safetensors",
    "adapter_config.json",
    "training_args.json",
    "README.md",
    "a-b_c.1",
  ])("accepts %s", (name) => {
    expect(artifactFileNameSchema.safeParse(name).success).toBe(true);
  });
  it.each([
    "",
    ".",
    "..",
    "../../etc/passwd",
    "a/b.json",
    "..\\evil",
    "/tmp/x.json",
    ".hidden",
    "a..b",
    "naïve.json",
    "a b",
    "x".repeat(256),
    "a\u0000b",
  ])("refuses %j", (name) => {
    expect(artifactFileNameSchema.safeParse(name).success).toBe(false);
  });
});
