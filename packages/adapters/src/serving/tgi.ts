/**
 * Text Generation Inference's rules for a PEFT LoRA adapter, each from TGI's own source
 * (https://github.com/huggingface/text-generation-inference, main as of v3.3.6):
 * - server/text_generation_server/adapters/lora.py — `LoraConfig.load` keeps only
 *   base_model_name_or_path, r, target_modules, fan_in_fan_out, lora_alpha and use_rslora from
 *   adapter_config.json; `map_weights_for_model` reads only
 *   `base_model.model.{module}.lora_A.weight` / `.lora_B.weight`. Everything else — DoRA's
 *   `lora_magnitude_vector`, `modules_to_save`, biases, `lora_embedding_A/B`, rank_pattern,
 *   alpha_pattern, other inits — is never read: TGI starts and serves a different model than the
 *   one trained. `prepare_weights` scales every layer by `get_scaling_factor(lora_alpha, r)`
 *   (alpha / r, alpha / √r with rsLoRA), stacks the layers' A/B matrices (one rank for all), pads
 *   the rank with the punica kernel's `pad_rank` and then sets `config.r` to the padded rank, so
 *   every module type after the first is scaled by the padded rank.
 * - kernels-community/punica-sgmv, torch-ext/punica_sgmv/__init__.py (the kernel TGI loads,
 *   server/kernels.lock) — `pad_rank`: ranks at or below `MIN_SGMV_RANK * world_size` (8 per GPU)
 *   go up to it, others up to a multiple of `SGMV_BLOCK_SIZE` (16); `MAX_RANK_CUSTOM = 128`:
 *   `BatchLoraWeights.can_vectorize` (adapters/lora.py) is false above it per GPU, and
 *   layers/lora.py `forward_layer_type` then runs a per-adapter loop instead of SGMV/BGMV.
 * - server/text_generation_server/models/__init__.py — `get_model_with_lora_adapters` applies
 *   LoRA only to q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, qkv_proj, c_proj,
 *   c_fc; adapter weights of other modules are logged as "unused adapter weights".
 * - server/text_generation_server/utils/adapter.py — a local `name=/path` adapter skips the
 *   architecture check; "TODO(travis): revisit this when we support clasification heads".
 * - The modelling files that build LoRA layers (TensorParallelMultiAdapterLinear):
 *   flash_llama (llama, phi3, granite, baichuan, phimoe), flash_mistral, flash_qwen2,
 *   flash_gemma2, flash_gemma3, flash_starcoder2 (models/custom_modeling/).
 * - The command: README.md "Docker" and docs/source/conceptual/lora.md / reference/launcher.md
 *   (`--lora-adapters` / LORA_ADAPTERS, `name=/path` for a local folder; image tag 3.3.5 as
 *   documented). README.md: TGI is in maintenance mode since December 2025.
 */
import type { AdapterFacts } from "../facts";
import { shellWord } from "./quote";
import type { ServingNote, ServingTarget, ServingVerdict } from "./verdict";
import { notCheckedVerdict, statusOf } from "./verdict";

const REPO = "huggingface/text-generation-inference";
const LOAD_SOURCE = `${REPO}: server/text_generation_server/adapters/lora.py (LoraConfig.load, map_weights_for_model)`;
const PREPARE_SOURCE = `${REPO}: server/text_generation_server/adapters/lora.py (LoraWeights.prepare_weights)`;
const LAYERS_SOURCE = `${REPO}: server/text_generation_server/models/__init__.py (get_model_with_lora_adapters, adapter_layers)`;
const PAD_SOURCE = `${PREPARE_SOURCE}; kernels-community/punica-sgmv: torch-ext/punica_sgmv/__init__.py (pad_rank, MIN_SGMV_RANK = 8, SGMV_BLOCK_SIZE = 16)`;
const KERNEL_SOURCE = `${REPO}: server/text_generation_server/adapters/lora.py (BatchLoraWeights.can_vectorize), server/text_generation_server/layers/lora.py (forward_layer_type); kernels-community/punica-sgmv: MAX_RANK_CUSTOM = 128`;
const ADAPTER_SOURCE = `${REPO}: server/text_generation_server/utils/adapter.py (check_architectures)`;
const ARCH_SOURCE = `${REPO}: server/text_generation_server/models/custom_modeling (TensorParallelMultiAdapterLinear)`;
const DOCS_SOURCE = "https://huggingface.co/docs/text-generation-inference/conceptual/lora";
const README_SOURCE = `${REPO}: README.md`;

/** The documented image tag (README.md, docs/source). */
export const TGI_IMAGE = "ghcr.io/huggingface/text-generation-inference:3.3.5";
/** The module types TGI applies LoRA to (models/__init__.py, adapter_layers). */
export const TGI_LORA_MODULES = [
  "q_proj",
  "k_proj",
  "v_proj",
  "o_proj",
  "gate_proj",
  "up_proj",
  "down_proj",
  "qkv_proj",
  "c_proj",
  "c_fc",
] as const;
/** Above this rank per GPU TGI leaves the punica SGMV/BGMV kernels for a per-adapter loop. */
export const TGI_MAX_KERNEL_RANK = 128;
const MIN_SGMV_RANK = 8;
const SGMV_BLOCK_SIZE = 16;
/** GPUs per machine we warn about when sharding pads a small rank. */
const TYPICAL_MAX_SHARDS = 8;

/** The rank TGI's punica `pad_rank` turns `rank` into on `shards` GPUs. */
export function tgiPaddedRank(rank: number, shards = 1): number {
  const minRank = MIN_SGMV_RANK * shards;
  return rank <= minRank ? minRank : Math.ceil(rank / SGMV_BLOCK_SIZE) * SGMV_BLOCK_SIZE;
}

/** init_lora_weights values that only set the starting weights (a plain LoRA once trained). */
const PLAIN_INITS = new Set(["gaussian", "eva", "orthogonal", "mica", "lora_ga"]);
const READ_FIELDS =
  "TGI reads only r, lora_alpha, use_rslora, target_modules, fan_in_fan_out and base_model_name_or_path from adapter_config.json, and only the lora_A / lora_B weights";

const FEATURE_NAMES: Record<string, string> = {
  lora_bias: "LoRA bias (lora_bias, the lora_B.bias tensors)",
  layer_replication: "layer_replication",
  use_qalora: "QALoRA (use_qalora)",
  alora: "Activated LoRA (aLoRA)",
  use_bdlora: "block-diagonal LoRA (use_bdlora)",
};

function ignored(code: string, what: string, fix: string): ServingNote {
  return {
    code,
    message: `${READ_FIELDS}, so it ignores ${what}: it starts without an error and serves a different model than the one trained. ${fix}`,
    source: LOAD_SOURCE,
  };
}

const MERGE =
  "Merge the adapter into the base model (PEFT merge_and_unload) and serve the merged model.";

function featureBlocker(feature: string): ServingNote | null {
  if (feature.startsWith("init_lora_weights=")) {
    const init = feature.slice("init_lora_weights=".length);
    if (PLAIN_INITS.has(init)) return null;
    return ignored(
      "init_lora_weights",
      `init_lora_weights="${init}" (inits such as PiSSA, OLoRA, CorDA and LoftQ change the base model's weights when PEFT loads the adapter)`,
      "Convert it to a plain LoRA adapter with PEFT first.",
    );
  }
  const name = FEATURE_NAMES[feature];
  return name ? ignored(feature, name, MERGE) : null;
}

/** The module type a target_modules entry names (`model.layers.0.self_attn.q_proj` → q_proj). */
const moduleType = (module: string) => module.split(".").at(-1) ?? module;

export function tgiVerdict(facts: AdapterFacts, target: ServingTarget): ServingVerdict {
  const blockers: ServingNote[] = [];
  const needs: ServingNote[] = [];
  const notes: ServingNote[] = [
    {
      code: "maintenance",
      message:
        "Text Generation Inference is in maintenance mode (minor bug fixes and documentation only); its maintainers recommend vLLM or SGLang going forward.",
      source: README_SOURCE,
    },
  ];
  const base = { engine: "tgi", label: "Text Generation Inference", language: "shell" } as const;

  if (facts.task_type !== null && facts.task_type !== "CAUSAL_LM") {
    blockers.push({
      code: "task_type",
      message: `This is a ${facts.task_type} adapter. TGI serves LoRA adapters on its text-generation (causal LM) models only; it has no classification heads ("revisit this when we support clasification heads").`,
      source: ADAPTER_SOURCE,
    });
  }
  if (facts.modules_to_save.length > 0) {
    blockers.push(
      ignored(
        "modules_to_save",
        `the fully trained modules (modules_to_save: ${facts.modules_to_save.join(", ")})`,
        `Train without modules_to_save, or ${MERGE.charAt(0).toLowerCase()}${MERGE.slice(1)}`,
      ),
    );
  }
  if (facts.use_dora) {
    blockers.push(
      ignored(
        "use_dora",
        "DoRA's magnitude vectors (use_dora) and applies it as plain LoRA",
        MERGE,
      ),
    );
  }
  if (facts.bias !== "none") {
    blockers.push(
      ignored(
        "bias",
        `the adapter's bias terms (bias: "${facts.bias}")`,
        'Train with bias "none".',
      ),
    );
  }
  for (const feature of facts.other_features) {
    const blocker = featureBlocker(feature);
    if (blocker) blockers.push(blocker);
  }
  const otherRanks = Object.entries(facts.rank_pattern).filter(([, r]) => r !== facts.rank);
  const otherAlphas = Object.entries(facts.alpha_pattern).filter(([, a]) => a !== facts.alpha);
  if (otherRanks.length > 0 || otherAlphas.length > 0) {
    const patterns = [
      ...(otherRanks.length > 0 ? ["rank_pattern"] : []),
      ...(otherAlphas.length > 0 ? ["alpha_pattern"] : []),
    ].join(" and ");
    blockers.push({
      code: "rank_pattern",
      message: `${READ_FIELDS}: it ignores ${patterns} (${[...otherRanks, ...otherAlphas]
        .slice(0, 3)
        .map(([module, value]) => `${module}: ${value}`)
        .join(
          ", ",
        )}), scales every layer by lora_alpha ${facts.alpha} / r ${facts.rank}, and stacks each module type's layers as one rank. ${MERGE}`,
      source: `${LOAD_SOURCE}; ${PREPARE_SOURCE}`,
    });
  }

  const unsupported = facts.target_modules.filter(
    (module) => !(TGI_LORA_MODULES as readonly string[]).includes(moduleType(module)),
  );
  if (unsupported.length > 0) {
    blockers.push({
      code: "target_modules",
      message: `TGI applies LoRA only to ${TGI_LORA_MODULES.join(", ")}; it does not apply this adapter's LoRA on ${unsupported.join(", ")} (at most it logs "unused adapter weights") and serves the base model's weights there instead. ${MERGE}`,
      source: LAYERS_SOURCE,
    });
  }

  const padded = tgiPaddedRank(facts.rank);
  if (padded !== facts.rank) {
    blockers.push({
      code: "rank_padding",
      message: `TGI pads rank ${facts.rank} to ${padded} for its punica kernels (up to 8, then to a multiple of 16) and then scales every module type after the first by lora_alpha / ${padded} instead of lora_alpha / ${facts.rank} (prepare_weights sets config.r to the padded rank), so the served model is not the one trained. Ranks 8, 16, 32, 48, 64, … keep their scale.`,
      source: PAD_SOURCE,
    });
  } else {
    const shards = Math.floor(facts.rank / MIN_SGMV_RANK) + 1;
    if (shards <= TYPICAL_MAX_SHARDS) {
      notes.push({
        code: "rank_padding_shards",
        message: `On ${shards} or more GPUs (TGI shards the model over all visible GPUs unless --num-shard says otherwise) TGI pads rank ${facts.rank} up to 8 × the number of GPUs and then scales every module type after the first by that padded rank instead of ${facts.rank}. Keep --num-shard below ${shards}.`,
        source: PAD_SOURCE,
      });
    }
  }
  if (facts.max_rank > TGI_MAX_KERNEL_RANK) {
    notes.push({
      code: "kernel_rank",
      message: `Rank ${facts.max_rank} is above ${TGI_MAX_KERNEL_RANK} per GPU, the largest rank TGI's punica SGMV kernels take: TGI then computes the adapter with a slower per-adapter loop.`,
      source: KERNEL_SOURCE,
    });
  }
  if (facts.tensors.other_count > 0) {
    const one = facts.tensors.other_count === 1;
    notes.push({
      code: "other_tensors",
      message: `TGI reads only the lora_A / lora_B weights; the ${facts.tensors.other_count} other tensor${one ? "" : "s"} in the file (${facts.tensors.other.slice(0, 3).join(", ")}) ${one ? "is" : "are"} not read.`,
      source: LOAD_SOURCE,
    });
  }
  notes.push({
    code: "adapter_id",
    message: `Requests use the adapter by naming it: "parameters": { "adapter_id": "${target.adapterDir}" }; without it TGI answers with the base model.`,
    source: DOCS_SOURCE,
  });
  notes.push({
    code: "architecture",
    message: `TGI builds LoRA layers only into its Llama (also Phi-3, Granite, Baichuan, PhiMoE), Mistral, Qwen2, Gemma 2, Gemma 3 and Starcoder2 models; ${facts.base_model} must be one of these. A local adapter is not checked against the base model's architecture.`,
    source: `${ARCH_SOURCE}; ${ADAPTER_SOURCE}`,
  });

  // Which modules a regular expression names depends on the base model: not checked rather than
  // a guessed command.
  if (blockers.length === 0 && facts.target_modules_regex !== null) {
    return notCheckedVerdict(
      base,
      {
        code: "target_modules_regex",
        message: `target_modules is a regular expression ("${facts.target_modules_regex}"); which modules it names depends on the base model, so we have not checked them against the modules TGI applies LoRA to (${TGI_LORA_MODULES.join(", ")}).`,
        source: LAYERS_SOURCE,
      },
      { needs, notes },
    );
  }

  const status = statusOf(blockers, needs);
  const dir = target.adapterDir;
  const command =
    status === "does_not_load"
      ? null
      : [
          "docker run --gpus all --shm-size 1g -p 8080:80 \\",
          '  -v "$PWD/data:/data" \\',
          `  -v "$PWD"/${shellWord(`${dir}:/adapters/${dir}`)} \\`,
          `  ${TGI_IMAGE} \\`,
          `  --model-id ${shellWord(facts.base_model)} \\`,
          `  --lora-adapters ${shellWord(`${dir}=/adapters/${dir}`)}`,
        ].join("\n");
  return { ...base, status, blockers, needs, notes, command };
}
