import { describe, expect, it } from "vitest";

import {
  adapterConfig,
  type JobSpecInput,
  minimumAdapterSizeBytes,
  safetensorsFile,
  safetensorsLayout,
  sha256OfFile,
} from "./index";
import { LLAMA_PROJECTIONS, parseSafetensorsHeader } from "./testing/helpers";

const KiB = 1024;

function readAll(chunks: Iterable<Buffer>): Buffer {
  return Buffer.concat([...chunks]);
}

/** Parses the generated file with the test's own reader and checks its exact size. */
function generated(jobId: string, spec: JobSpecInput) {
  const file = safetensorsFile(jobId, spec);
  const bytes = readAll(file.chunks());
  expect(bytes.length).toBe(spec.adapterSizeBytes ?? 256 * KiB);
  const header = parseSafetensorsHeader(bytes, bytes.length);
  const layout = safetensorsLayout(spec);
  return { header, layout, names: [...header.tensors.keys()] };
}

describe("adapterConfig", () => {
  it("adapterConfig is a PEFT LoRA config for the spec", () => {
    const config = adapterConfig({
      rank: 8,
      targetModules: ["q_proj", "k_proj"],
      baseModel: "mistralai/Mistral-7B-v0.3",
    });
    expect(config).toMatchObject({
      r: 8,
      lora_alpha: 16,
      lora_dropout: 0.05,
      target_modules: ["q_proj", "k_proj"],
      base_model_name_or_path: "mistralai/Mistral-7B-v0.3",
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      bias: "none",
      modules_to_save: null,
      use_dora: false,
      use_rslora: false,
    });
  });

  it("carries DoRA, rsLoRA, modules_to_save and the task type", () => {
    expect(
      adapterConfig({ useDora: true, useRslora: true, modulesToSave: ["embed_tokens", "lm_head"] }),
    ).toMatchObject({
      use_dora: true,
      use_rslora: true,
      modules_to_save: ["embed_tokens", "lm_head"],
      task_type: "CAUSAL_LM",
    });
    // PEFT appends the classifier heads' names for classification tasks.
    expect(adapterConfig({ taskType: "SEQ_CLS" })).toMatchObject({
      task_type: "SEQ_CLS",
      modules_to_save: ["classifier", "score"],
    });
    expect(adapterConfig({ taskType: "TOKEN_CLS", modulesToSave: ["embed_tokens"] })).toMatchObject(
      { task_type: "TOKEN_CLS", modules_to_save: ["embed_tokens", "classifier", "score"] },
    );
  });
});

describe("adapter variants in adapter_model.safetensors", () => {
  it.each([8, 64, 256])("rank %i: A is [r, hidden], B is [hidden, r], in every layer", (rank) => {
    const { header, layout } = generated(`rank-${rank}`, { rank, adapterSizeBytes: 64 * KiB });
    for (let layer = 0; layer < layout.layers; layer++) {
      for (const module of ["q_proj", "v_proj"]) {
        const prefix = `base_model.model.model.layers.${layer}.self_attn.${module}`;
        expect(header.tensors.get(`${prefix}.lora_A.weight`)).toMatchObject({
          dtype: "F16",
          shape: [rank, layout.hiddenSize],
        });
        expect(header.tensors.get(`${prefix}.lora_B.weight`)).toMatchObject({
          dtype: "F16",
          shape: [layout.hiddenSize, rank],
        });
      }
    }
    expect(header.tensors.size).toBe(layout.layers * 2 * 2);
  });

  it("DoRA adds one lora_magnitude_vector of [out_features] per adapted module", () => {
    const spec: JobSpecInput = {
      useDora: true,
      dtype: "BF16",
      targetModules: ["q_proj", "down_proj"],
      adapterSizeBytes: 512 * KiB,
    };
    const { header, layout, names } = generated("dora", spec);
    const magnitudes = names.filter((name) => name.endsWith(".lora_magnitude_vector"));
    expect(magnitudes).toHaveLength(layout.layers * 2);
    expect(magnitudes).toContain(
      "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector",
    );
    expect(magnitudes).toContain(
      "base_model.model.model.layers.0.mlp.down_proj.lora_magnitude_vector",
    );
    for (const name of magnitudes)
      expect(header.tensors.get(name)).toMatchObject({ dtype: "BF16", shape: [layout.hiddenSize] });
    expect(names.some((name) => name.includes(".default"))).toBe(false); // no adapter name
  });

  it.each([
    [["lm_head"] as const, ["base_model.model.lm_head.weight"]],
    [
      ["embed_tokens", "lm_head"] as const,
      ["base_model.model.model.embed_tokens.weight", "base_model.model.lm_head.weight"],
    ],
  ])("modulesToSave %j saves full weights as %j", (modulesToSave, saved) => {
    const { header, layout, names } = generated(`mts-${modulesToSave.length}`, {
      modulesToSave: [...modulesToSave],
      adapterSizeBytes: 1024 * KiB,
    });
    expect(names.filter((name) => !name.includes(".layers."))).toEqual(saved);
    expect(layout.vocabSize).toBe(8 * layout.hiddenSize);
    for (const name of saved)
      expect(header.tensors.get(name)).toMatchObject({
        dtype: "F16",
        shape: [layout.vocabSize, layout.hiddenSize],
      });
  });

  it.each([
    ["SEQ_CLS" as const, ["base_model.model.score.weight"]],
    ["TOKEN_CLS" as const, ["base_model.model.score.weight", "base_model.model.score.bias"]],
  ])("%s saves its score head", (taskType, saved) => {
    const { header, layout, names } = generated(`task-${taskType}`, { taskType });
    expect(names.filter((name) => name.includes(".score."))).toEqual(saved);
    expect(header.tensors.get("base_model.model.score.weight")?.shape).toEqual([
      2,
      layout.hiddenSize,
    ]);
  });

  it("reports the adapter's tensors and parameter count as the header has them", () => {
    const spec: JobSpecInput = {
      rank: 64,
      useDora: true,
      modulesToSave: ["embed_tokens", "lm_head"],
      targetModules: ["q_proj", "k_proj", "v_proj", "o_proj"],
      dtype: "F32",
      adapterSizeBytes: 3 * 1024 * KiB + 7,
    };
    const { header, layout } = generated("facts", spec);
    const own = [...header.tensors];
    expect(layout.adapterTensors.map(({ name, dtype, shape }) => [name, dtype, shape])).toEqual(
      own.map(([name, tensor]) => [name, tensor.dtype, tensor.shape]),
    );
    const elements = own.reduce(
      (sum, [, tensor]) => sum + tensor.shape.reduce((product, dim) => product * dim, 1),
      0,
    );
    expect(layout.parameterCount).toBe(elements);
    expect(layout.tensorCount).toBe(header.tensors.size);
    expect(layout.tensorCount).toBe(layout.layers * 4 * 3 + 2);
  });

  it("every variant keeps its checksum, and each variant has its own bytes", async () => {
    const variants: JobSpecInput[] = [
      {},
      { useDora: true },
      { useRslora: true },
      { modulesToSave: ["lm_head"] },
      { taskType: "SEQ_CLS" },
    ];
    const sums = await Promise.all(
      variants.map((spec) => sha256OfFile(safetensorsFile("same-job", spec))),
    );
    const again = await Promise.all(
      variants.map((spec) => sha256OfFile(safetensorsFile("same-job", spec))),
    );
    expect(again).toEqual(sums);
    // rsLoRA changes only the config's scaling rule, not a tensor.
    expect(sums[2]).toBe(sums[0]);
    expect(new Set([sums[0], sums[1], sums[3], sums[4]]).size).toBe(4);
  });
});

describe("minimumAdapterSizeBytes", () => {
  const specs: JobSpecInput[] = [8, 64, 256].flatMap((rank) => [
    { rank },
    { rank, useDora: true },
    { rank, modulesToSave: ["embed_tokens", "lm_head"], taskType: "CAUSAL_LM" },
    {
      rank,
      dtype: "F32",
      useDora: true,
      taskType: "TOKEN_CLS",
      modulesToSave: ["embed_tokens"],
      targetModules: [...LLAMA_PROJECTIONS],
    },
  ]);

  it.each(specs)("is exact, and every size above it fits exactly (%o)", (spec) => {
    const minimum = minimumAdapterSizeBytes(spec);
    expect(minimum).toBeGreaterThanOrEqual(2048);
    if (minimum > 2048)
      expect(() => safetensorsLayout({ ...spec, adapterSizeBytes: minimum - 1 })).toThrow(
        `needs at least ${minimum} bytes`,
      );
    const sizes = [minimum, minimum + 1, minimum + 7, minimum + 4099, 99_999, 100_000, 100_001];
    for (const size of sizes.filter((value) => value >= minimum)) {
      const layout = safetensorsLayout({ ...spec, adapterSizeBytes: size });
      expect(layout.header.length + layout.bodyLength).toBe(size);
      expect(parseSafetensorsHeader(layout.header, size).dataLength).toBe(layout.bodyLength);
    }
  });
});
