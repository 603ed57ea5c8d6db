// What PEFT writes for a LoRA adapter: the tensor names and shapes of adapter_model.safetensors
// and the fields of adapter_config.json, for a Llama-style decoder (`model.layers.{i}`).
//
// Names as PEFT saves them (huggingface/peft, read at 5d602fd):
// - src/peft/utils/save_and_load.py, get_peft_model_state_dict: keeps the `lora_` keys, removes
//   the adapter name (`….lora_A.default.weight` → `….lora_A.weight`), and for DoRA drops the
//   `.weight` of `lora_magnitude_vector.default.weight`, so the magnitude is saved as
//   `….{module}.lora_magnitude_vector`.
// - src/peft/tuners/lora/dora.py, DoraLinearLayer.get_weight_norm: the magnitude is the norm of
//   each row of the (out × in) weight, so its shape is [out_features].
// - src/peft/utils/other.py, ModulesToSaveWrapper.adapter_state_dict: a module in
//   modules_to_save is saved whole under its own path (`modules_to_save.default.` removed):
//   `base_model.model.lm_head.weight`, `base_model.model.model.embed_tokens.weight`.
// - src/peft/peft_model.py, PeftModelForSequenceClassification / …ForTokenClassification: append
//   "classifier" and "score" to the config's modules_to_save.
// The heads (huggingface/transformers): src/transformers/modeling_layers.py,
// GenericForSequenceClassification: `score = nn.Linear(hidden, num_labels, bias=False)`;
// src/transformers/models/llama/modeling_llama.py, LlamaForTokenClassification:
// `score = nn.Linear(hidden, num_labels)` (weight and bias).
import { type AdapterDtype, type JobSpec, type JobSpecInput, resolveJobSpec } from "./spec";

export interface AdapterTensor {
  name: string;
  dtype: AdapterDtype;
  shape: number[];
}

const MLP_MODULES = new Set(["gate_proj", "up_proj", "down_proj"]);
/** The simulated vocabulary is this many times the hidden size (Llama-2-7B: 32000 / 4096 ≈ 8). */
export const VOCAB_PER_HIDDEN = 8;
/** transformers' default `num_labels`: the width of a classification head. */
const NUM_LABELS = 2;
/** Every LoRA tensor of a causal LM sits under PeftModel → LoraModel → *ForCausalLM → *Model. */
const LAYERS_PREFIX = "base_model.model.model.layers";

/** Real checkpoints keep MLP projections under `mlp`; everything else sits under `self_attn`. */
function moduleParent(module: string): string {
  return MLP_MODULES.has(module) ? "mlp" : "self_attn";
}

export const vocabSizeFor = (hidden: number) => VOCAB_PER_HIDDEN * hidden;

/**
 * The LoRA tensors of one layer, in the order the file stores them. The simulated model is
 * square: every adapted module maps `hidden` to `hidden` features.
 */
export function layerTensors(spec: JobSpec, layer: number, hidden: number): AdapterTensor[] {
  const { dtype, rank } = spec;
  return spec.targetModules.flatMap((module) => {
    const prefix = `${LAYERS_PREFIX}.${layer}.${moduleParent(module)}.${module}`;
    const tensors: AdapterTensor[] = [
      { name: `${prefix}.lora_A.weight`, dtype, shape: [rank, hidden] },
      { name: `${prefix}.lora_B.weight`, dtype, shape: [hidden, rank] },
    ];
    if (spec.useDora)
      tensors.push({ name: `${prefix}.lora_magnitude_vector`, dtype, shape: [hidden] });
    return tensors;
  });
}

/** Whole modules saved next to the LoRA weights: modules_to_save and a task's head. */
export function savedModuleTensors(spec: JobSpec, hidden: number, vocab: number): AdapterTensor[] {
  const { dtype } = spec;
  const tensors: AdapterTensor[] = spec.modulesToSave.map((module) => ({
    name:
      module === "lm_head"
        ? "base_model.model.lm_head.weight"
        : `base_model.model.model.${module}.weight`,
    dtype,
    shape: [vocab, hidden],
  }));
  if (spec.taskType === "SEQ_CLS" || spec.taskType === "TOKEN_CLS")
    tensors.push({ name: "base_model.model.score.weight", dtype, shape: [NUM_LABELS, hidden] });
  if (spec.taskType === "TOKEN_CLS")
    tensors.push({ name: "base_model.model.score.bias", dtype, shape: [NUM_LABELS] });
  return tensors;
}

/** Every tensor of the adapter (without the simulator's padding), in file order. */
export function adapterTensors(
  spec: JobSpec,
  layers: number,
  hidden: number,
  vocab = vocabSizeFor(hidden),
): AdapterTensor[] {
  const tensors: AdapterTensor[] = [];
  for (let layer = 0; layer < layers; layer++) tensors.push(...layerTensors(spec, layer, hidden));
  tensors.push(...savedModuleTensors(spec, hidden, vocab));
  return tensors;
}

/** `modules_to_save` as PEFT writes it into adapter_config.json (null when there is none). */
export function configModulesToSave(spec: JobSpec): string[] | null {
  const modules: string[] = [...spec.modulesToSave];
  if (spec.taskType === "SEQ_CLS" || spec.taskType === "TOKEN_CLS")
    modules.push("classifier", "score");
  return modules.length > 0 ? modules : null;
}

/** PEFT's adapter_config.json for the job. */
export function adapterConfig(specInput: JobSpecInput | JobSpec = {}): Record<string, unknown> {
  const spec = resolveJobSpec(specInput);
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: spec.baseModel,
    bias: "none",
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: spec.loraAlpha,
    lora_dropout: 0.05,
    modules_to_save: configModulesToSave(spec),
    peft_type: "LORA",
    r: spec.rank,
    rank_pattern: {},
    revision: null,
    target_modules: spec.targetModules,
    task_type: spec.taskType,
    use_dora: spec.useDora,
    use_rslora: spec.useRslora,
  };
}
