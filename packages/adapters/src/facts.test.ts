import { describe, expect, it } from "vitest";

import { readAdapterFacts } from "./index";
import { adapterFactsFixture, readFactsOrThrow } from "./testing/facts";
import { simAdapter } from "./testing/sim-adapter";

function factsOf(spec: Parameters<typeof simAdapter>[0]) {
  const adapter = simAdapter(spec);
  return { facts: readFactsOrThrow(adapter), layout: adapter.layout };
}

describe("readAdapterFacts on the simulator's adapters", () => {
  it("a plain rank-16 adapter: config facts, tensor counts and the parameter count", () => {
    const { facts, layout } = factsOf({ adapterSizeBytes: 65536 });
    // Every field: the fixture other packages' tests store is what this reader makes of a plain
    // LoRA (a causal LM on Llama-3.1-8B's q/v projections, no DoRA, rsLoRA or saved modules).
    expect(facts).toEqual(
      adapterFactsFixture({
        rank: 16,
        alpha: 32,
        max_rank: 16,
        tensors: {
          count: layout.tensorCount,
          parameter_count: layout.parameterCount,
          dtypes: { F16: layout.adapterTensors.length },
          lora: layout.layers * 2 * 2,
          dora_magnitude: 0,
          saved_modules: [],
          other: [],
          other_count: 0,
          layers: layout.layers,
        },
      }),
    );
  });

  it.each([8, 64, 256])("reads rank %i and alpha 2 × rank", (rank) => {
    const { facts } = factsOf({ rank, adapterSizeBytes: 262144 });
    expect(facts).toMatchObject({ rank, alpha: 2 * rank, max_rank: rank, scaling: 2 });
  });

  it("DoRA: use_dora and one magnitude vector per adapted module of every layer", () => {
    const { facts, layout } = factsOf({ rank: 64, useDora: true, adapterSizeBytes: 262144 });
    expect(facts.use_dora).toBe(true);
    expect(facts.tensors.dora_magnitude).toBe(layout.layers * 2);
    expect(facts.tensors.parameter_count).toBe(layout.parameterCount);
  });

  it("rsLoRA: scaling is alpha / √rank", () => {
    const { facts } = factsOf({ rank: 64, useRslora: true, adapterSizeBytes: 262144 });
    expect(facts.use_rslora).toBe(true);
    expect(facts.scaling).toBe(128 / 8);
  });

  it("modules_to_save: the whole lm_head and embed_tokens, named", () => {
    const { facts, layout } = factsOf({
      rank: 8,
      modulesToSave: ["embed_tokens", "lm_head"],
      dtype: "BF16",
      adapterSizeBytes: 262144,
    });
    expect(facts.modules_to_save).toEqual(["embed_tokens", "lm_head"]);
    expect(facts.tensors.saved_modules).toEqual([
      "base_model.model.model.embed_tokens.weight",
      "base_model.model.lm_head.weight",
    ]);
    expect(facts.tensors.dtypes).toEqual({ BF16: layout.adapterTensors.length });
    expect(facts.tensors.parameter_count).toBe(layout.parameterCount);
  });

  it("a sequence classifier: task type, the score head and its two labels", () => {
    const { facts } = factsOf({ taskType: "SEQ_CLS", adapterSizeBytes: 262144 });
    expect(facts.task_type).toBe("SEQ_CLS");
    expect(facts.modules_to_save).toEqual(["classifier", "score"]);
    expect(facts.tensors.saved_modules).toEqual(["base_model.model.score.weight"]);
    expect(facts.num_labels).toBe(2);
  });
});

describe("readAdapterFacts on hand-written configs", () => {
  const tensors = [{ name: "base_model.model.x.lora_A.weight", dtype: "F32", shape: [4, 8] }];
  const base = {
    r: 8,
    lora_alpha: 16,
    target_modules: ["q_proj"],
    base_model_name_or_path: "org/model",
  };

  it("takes PEFT's defaults for what an older config leaves out", () => {
    const result = readAdapterFacts({ config: base, tensors });
    expect(result).toMatchObject({
      ok: true,
      facts: {
        peft_type: null,
        task_type: null,
        modules_to_save: [],
        use_dora: false,
        bias: "none",
        tensors: { parameter_count: 32, lora: 1, layers: null },
      },
    });
  });

  it("a regular-expression target, rank_pattern and the options engines refuse", () => {
    const result = readAdapterFacts({
      config: {
        ...base,
        target_modules: ".*\\.(q|v)_proj$",
        rank_pattern: { "layers.0.self_attn.q_proj": 128 },
        lora_bias: true,
        init_lora_weights: "PiSSA",
        layer_replication: [[0, 4]],
        bias: "all",
      },
      tensors,
    });
    expect(result).toMatchObject({
      ok: true,
      facts: {
        target_modules: [],
        target_modules_regex: ".*\\.(q|v)_proj$",
        max_rank: 128,
        bias: "all",
        other_features: ["lora_bias", "init_lora_weights=pissa", "layer_replication"],
      },
    });
  });

  it("says why a config is not a LoRA config", () => {
    expect(readAdapterFacts({ config: { ...base, r: 0 }, tensors })).toEqual({
      ok: false,
      reason: "adapter_config.json is not a LoRA config (r: Too small: expected number to be >0)",
    });
    expect(readAdapterFacts({ config: "nope", tensors })).toMatchObject({ ok: false });
  });

  it("is plain JSON", () => {
    const result = readAdapterFacts(simAdapter({ useDora: true, modulesToSave: ["lm_head"] }));
    expect(result.ok && JSON.parse(JSON.stringify(result.facts))).toEqual(
      result.ok && result.facts,
    );
  });
});
