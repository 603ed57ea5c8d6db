/**
 * Adapter facts: what adapter_config.json and the safetensors header say about a LoRA adapter,
 * as one JSON-safe record (stored in model_artifacts.adapter_facts). Pure: the caller parses the
 * files (the ingester's validators already do) and passes their content in.
 */
import { otherFeatures, peftConfigSchema } from "./config";
import { type TensorEntry, type TensorFacts, tensorFacts } from "./tensors";

/** `facts_version` changes when the shape does. */
export interface AdapterFacts {
  facts_version: 1;
  peft_type: string | null;
  task_type: string | null;
  base_model: string;
  rank: number;
  alpha: number;
  /** The largest rank of any module (`r` and every `rank_pattern` override). */
  max_rank: number;
  rank_pattern: Record<string, number>;
  alpha_pattern: Record<string, number>;
  /** The update's scale: alpha / rank, or alpha / √rank with rsLoRA. */
  scaling: number;
  /** Module names; a single string in the config is a regular expression (`target_modules_regex`). */
  target_modules: string[];
  target_modules_regex: string | null;
  modules_to_save: string[];
  use_dora: boolean;
  use_rslora: boolean;
  bias: string;
  /** Other PEFT options that change how the adapter loads (e.g. "lora_bias", "init_lora_weights=pissa"). */
  other_features: string[];
  tensors: TensorFacts;
  /** Labels of a classification head saved with the adapter (rows of `score` / `classifier`). */
  num_labels: number | null;
}

export type AdapterFactsResult = { ok: true; facts: AdapterFacts } | { ok: false; reason: string };

export function readAdapterFacts(input: {
  /** adapter_config.json, parsed. */
  config: unknown;
  /** The tensors of adapter_model.safetensors' header (`__metadata__` left out). */
  tensors: readonly TensorEntry[];
}): AdapterFactsResult {
  const parsed = peftConfigSchema.safeParse(input.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `adapter_config.json is not a LoRA config (${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"})`,
    };
  }
  const config = parsed.data;
  const modulesToSave = config.modules_to_save ?? [];
  const rankPattern = config.rank_pattern ?? {};
  const { facts: tensors, numLabels } = tensorFacts(input.tensors, modulesToSave);
  const regex = typeof config.target_modules === "string" ? config.target_modules : null;
  return {
    ok: true,
    facts: {
      facts_version: 1,
      peft_type: config.peft_type,
      task_type: config.task_type,
      base_model: config.base_model_name_or_path,
      rank: config.r,
      alpha: config.lora_alpha,
      max_rank: Math.max(config.r, ...Object.values(rankPattern)),
      rank_pattern: rankPattern,
      alpha_pattern: config.alpha_pattern ?? {},
      // PEFT's LoraLayer.update_layer: alpha / sqrt(r) with rsLoRA, alpha / r otherwise.
      scaling: config.use_rslora
        ? config.lora_alpha / Math.sqrt(config.r)
        : config.lora_alpha / config.r,
      target_modules: regex === null ? [...(config.target_modules as string[])] : [],
      target_modules_regex: regex,
      modules_to_save: [...modulesToSave],
      use_dora: config.use_dora,
      use_rslora: config.use_rslora,
      bias: config.bias,
      other_features: otherFeatures(config),
      tensors,
      num_labels: numLabels,
    },
  };
}
