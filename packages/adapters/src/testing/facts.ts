/**
 * Adapter facts for tests in every package: the record as @mad/adapters reads it
 * (`adapterFactsFixture`, for tests that store or show facts), and facts read from a small
 * hand-written LoRA (`handWrittenAdapterFacts`, for tests of what the facts decide).
 */
import { type AdapterFacts, readAdapterFacts } from "../facts";
import type { TensorEntry } from "../tensors";

/**
 * A rank-64 LoRA on Llama-3.1-8B's q/v projections, as @mad/adapters would read it; tests
 * override what they are about (tensor counts, modules_to_save…).
 */
export function adapterFactsFixture(
  overrides: Partial<Omit<AdapterFacts, "tensors">> & {
    tensors?: Partial<AdapterFacts["tensors"]>;
  } = {},
): AdapterFacts {
  const { tensors, ...rest } = overrides;
  return {
    facts_version: 1,
    peft_type: "LORA",
    task_type: "CAUSAL_LM",
    base_model: "meta-llama/Llama-3.1-8B",
    rank: 64,
    alpha: 128,
    max_rank: 64,
    rank_pattern: {},
    alpha_pattern: {},
    scaling: 2,
    target_modules: ["q_proj", "v_proj"],
    target_modules_regex: null,
    modules_to_save: [],
    use_dora: false,
    use_rslora: false,
    bias: "none",
    other_features: [],
    num_labels: null,
    ...rest,
    tensors: {
      count: 128,
      parameter_count: 33_554_432,
      dtypes: { F16: 128 },
      lora: 128,
      dora_magnitude: 0,
      saved_modules: [],
      other: [],
      other_count: 0,
      layers: 32,
      ...tensors,
    },
  };
}

/** The facts of `adapter`; a refused adapter fails the test with the reader's reason. */
export function readFactsOrThrow(adapter: Parameters<typeof readAdapterFacts>[0]): AdapterFacts {
  const result = readAdapterFacts(adapter);
  if (!result.ok) throw new Error(result.reason);
  return result.facts;
}

/**
 * The facts of a small hand-written LoRA: adapter_config.json with rank `rank`, alpha twice
 * that, q/v projections, `baseModel` and `taskType` (left out unless given, as older PEFT
 * versions wrote it), then `config`'s fields over those; its tensors are one F16 lora_A matrix
 * of the rank, unless `tensors` lists them.
 */
export function handWrittenAdapterFacts({
  rank = 16,
  baseModel = "meta-llama/Llama-3.1-8B",
  taskType,
  config = {},
  tensors,
}: {
  rank?: number;
  baseModel?: string;
  taskType?: string;
  config?: Record<string, unknown>;
  tensors?: TensorEntry[];
} = {}): AdapterFacts {
  return readFactsOrThrow({
    config: {
      r: rank,
      lora_alpha: 2 * rank,
      target_modules: ["q_proj", "v_proj"],
      base_model_name_or_path: baseModel,
      ...(taskType === undefined ? {} : { task_type: taskType }),
      ...config,
    },
    tensors: tensors ?? [
      {
        name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
        dtype: "F16",
        shape: [rank, 8],
      },
    ],
  });
}
