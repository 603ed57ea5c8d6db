/**
 * The fields of a PEFT adapter_config.json that say how the adapter loads, read leniently: a
 * field that is missing or of the wrong type takes PEFT's own default (peft/tuners/lora/config.py,
 * LoraConfig), so an older or newer PEFT's file still gives facts. Only `r`, `lora_alpha`,
 * `target_modules` and `base_model_name_or_path` are required, as the ingester's validator does.
 */
import { z } from "zod";

const stringList = z.array(z.string());
const numberMap = z.record(z.string(), z.number());

export const peftConfigSchema = z
  .object({
    r: z.number().int().positive(),
    lora_alpha: z.number().positive(),
    target_modules: z.union([stringList, z.string()]),
    base_model_name_or_path: z.string().min(1),
    peft_type: z.string().nullable().catch(null).default(null),
    task_type: z.string().nullable().catch(null).default(null),
    modules_to_save: stringList.nullable().catch(null).default(null),
    use_dora: z.boolean().catch(false).default(false),
    use_rslora: z.boolean().catch(false).default(false),
    bias: z.string().catch("none").default("none"),
    rank_pattern: numberMap.nullable().catch({}).default({}),
    alpha_pattern: numberMap.nullable().catch({}).default({}),
    init_lora_weights: z.union([z.boolean(), z.string()]).catch(true).default(true),
    lora_bias: z.boolean().catch(false).default(false),
    layer_replication: z.array(z.array(z.number())).nullable().catch(null).default(null),
    use_qalora: z.boolean().catch(false).default(false),
    alora_invocation_tokens: z.array(z.number()).nullable().catch(null).default(null),
    use_bdlora: z.unknown().optional(),
  })
  .loose();

export type PeftConfig = z.infer<typeof peftConfigSchema>;

/** PEFT options that change how (or whether) an engine can load the adapter. */
export function otherFeatures(config: PeftConfig): string[] {
  const features: string[] = [];
  if (config.lora_bias) features.push("lora_bias");
  if (typeof config.init_lora_weights === "string") {
    features.push(`init_lora_weights=${config.init_lora_weights.toLowerCase()}`);
  }
  if (config.layer_replication && config.layer_replication.length > 0) {
    features.push("layer_replication");
  }
  if (config.use_qalora) features.push("use_qalora");
  if (config.alora_invocation_tokens && config.alora_invocation_tokens.length > 0) {
    features.push("alora");
  }
  if (
    config.use_bdlora !== undefined &&
    config.use_bdlora !== null &&
    config.use_bdlora !== false
  ) {
    features.push("use_bdlora");
  }
  return features;
}
