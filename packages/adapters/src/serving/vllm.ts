/**
 * vLLM's rules for a PEFT LoRA adapter, each from vLLM's source:
 * - vllm/config/lora.py — `max_lora_rank: MaxLoRARanks = 16` with
 *   `MaxLoRARanks = Literal[1, 8, 16, 32, 64, 128, 256, 320, 512]`: the flag takes only those
 *   values and defaults to 16 (https://github.com/vllm-project/vllm/blob/main/vllm/config/lora.py).
 * - vllm/lora/peft_helper.py — `validate_legal`: "LoRA rank {r} is greater than max_lora_rank"
 *   over `r` and every `rank_pattern` value (vLLM issue #2847); "Adapter bias is not supported."
 *   for `bias != "none"`; `_validate_features`: `modules_to_save` only None or
 *   ["classifier", "score"] (issue #9280), "vLLM does not yet support DoRA.", and no `lora_bias`,
 *   PiSSA/OLoRA/CorDA/LoftQ inits, aLoRA, `layer_replication`, BD-LoRA or QALoRA
 *   (https://github.com/vllm-project/vllm/blob/main/vllm/lora/peft_helper.py).
 * - vllm/lora/utils.py — `parse_fine_tuned_lora_name` accepts only `….lora_A.weight`,
 *   `….lora_B.weight` and `lora_embedding_A/B`; any other tensor name is
 *   "… is unsupported LoRA weight".
 * - The command: `vllm serve <base> --enable-lora --lora-modules name=path [--max-lora-rank N]`
 *   (https://docs.vllm.ai/en/v0.8.5/features/lora.html).
 */
import type { AdapterFacts } from "../facts";
import { shellWord } from "./quote";
import type { ServingNote, ServingTarget, ServingVerdict } from "./verdict";
import { notCheckedVerdict, statusOf } from "./verdict";

const CONFIG_SOURCE = "vllm/config/lora.py (MaxLoRARanks, max_lora_rank = 16)";
const PEFT_HELPER_SOURCE = "vllm/lora/peft_helper.py (PEFTHelper.validate_legal)";
const NAMES_SOURCE = "vllm/lora/utils.py (parse_fine_tuned_lora_name)";
const DOCS_SOURCE = "https://docs.vllm.ai/en/v0.8.5/features/lora.html";

/** The values `--max-lora-rank` accepts, and its default. */
export const VLLM_MAX_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512] as const;
export const VLLM_DEFAULT_MAX_LORA_RANK = 16;

/** The smallest value `--max-lora-rank` accepts that holds `rank`; null above 512. */
export function vllmMaxLoraRankFor(rank: number): number | null {
  return VLLM_MAX_LORA_RANKS.find((allowed) => allowed >= rank) ?? null;
}

/** `modules_to_save` vLLM takes: a classification model's head. */
const ALLOWED_MODULES_TO_SAVE = new Set(["classifier", "score"]);
/** init_lora_weights values that only set the starting weights (vLLM loads them as plain LoRA). */
const PLAIN_INITS = new Set(["gaussian", "eva", "orthogonal", "mica", "lora_ga"]);

function featureBlocker(feature: string): ServingNote | null {
  const messages: Record<string, string> = {
    lora_bias: "vLLM does not support LoRA bias (lora_bias).",
    layer_replication: "vLLM does not support layer_replication.",
    use_qalora: "vLLM does not support QALoRA.",
    alora: "vLLM does not support Activated LoRA (aLoRA).",
    use_bdlora: "vLLM does not support block-diagonal LoRA (BD-LoRA).",
  };
  if (feature.startsWith("init_lora_weights=")) {
    const init = feature.slice("init_lora_weights=".length);
    if (PLAIN_INITS.has(init)) return null;
    return {
      code: "init_lora_weights",
      message: `vLLM does not support init_lora_weights="${init}": inits such as PiSSA, OLoRA, CorDA and LoftQ change the base model's weights when PEFT loads the adapter. Convert it to a plain LoRA adapter with PEFT first.`,
      source: PEFT_HELPER_SOURCE,
    };
  }
  const message = messages[feature];
  return message ? { code: feature, message, source: PEFT_HELPER_SOURCE } : null;
}

export function vllmVerdict(facts: AdapterFacts, target: ServingTarget): ServingVerdict {
  const blockers: ServingNote[] = [];
  const needs: ServingNote[] = [];
  const notes: ServingNote[] = [];
  const base = { engine: "vllm", label: "vLLM", language: "shell" } as const;

  const unsupportedSaved = facts.modules_to_save.filter((m) => !ALLOWED_MODULES_TO_SAVE.has(m));
  if (unsupportedSaved.length > 0) {
    blockers.push({
      code: "modules_to_save",
      message: `vLLM loads no fully trained modules (modules_to_save: ${unsupportedSaved.join(", ")}); it refuses the adapter with "vLLM only supports modules_to_save being None". Train without modules_to_save, or merge the adapter into the base model and serve the merged model.`,
      source: `${PEFT_HELPER_SOURCE}; vLLM issue #9280`,
    });
  }
  if (facts.use_dora) {
    blockers.push({
      code: "use_dora",
      message:
        'vLLM does not support DoRA ("vLLM does not yet support DoRA."). Merge the adapter into the base model (PEFT merge_and_unload) and serve the merged model.',
      source: PEFT_HELPER_SOURCE,
    });
  }
  if (facts.bias !== "none") {
    blockers.push({
      code: "bias",
      message: `vLLM does not support adapter bias (bias: "${facts.bias}"); only "none" loads.`,
      source: PEFT_HELPER_SOURCE,
    });
  }
  for (const feature of facts.other_features) {
    const blocker = featureBlocker(feature);
    if (blocker) blockers.push(blocker);
  }

  const maxLoraRank = vllmMaxLoraRankFor(facts.max_rank);
  if (maxLoraRank === null) {
    blockers.push({
      code: "max_lora_rank",
      message: `Rank ${facts.max_rank} is above ${VLLM_MAX_LORA_RANKS.at(-1)}, the largest --max-lora-rank vLLM accepts.`,
      source: CONFIG_SOURCE,
    });
  } else if (facts.max_rank > VLLM_DEFAULT_MAX_LORA_RANK) {
    needs.push({
      code: "max_lora_rank",
      message: `Rank ${facts.max_rank} is above vLLM's default --max-lora-rank of ${VLLM_DEFAULT_MAX_LORA_RANK} ("LoRA rank ${facts.max_rank} is greater than max_lora_rank ${VLLM_DEFAULT_MAX_LORA_RANK}"): the command sets --max-lora-rank ${maxLoraRank}, the smallest value vLLM accepts (${VLLM_MAX_LORA_RANKS.join(", ")}) that holds it.`,
      source: `${CONFIG_SOURCE}; vLLM issue #2847`,
    });
  }

  if (facts.tensors.other_count > 0) {
    const names = facts.tensors.other.slice(0, 3).join(", ");
    const one = facts.tensors.other_count === 1;
    blockers.push({
      code: "other_tensors",
      message: `The file holds ${facts.tensors.other_count} tensor${one ? "" : "s"} that ${one ? "is" : "are"} no LoRA weight (${names}). vLLM reads only lora_A / lora_B weights and refuses the adapter at the first other name ("${facts.tensors.other[0]} is unsupported LoRA weight"). Save the adapter again with PEFT's save_pretrained, which writes only the adapter's weights.`,
      source: NAMES_SOURCE,
    });
  }
  if (facts.target_modules_regex !== null) {
    notes.push({
      code: "target_modules_regex",
      message:
        "target_modules is a regular expression; vLLM checks that the modules it names exist in the base model when it loads the adapter.",
      source: "vllm/lora/utils.py (is_regex_target_modules)",
    });
  }

  // A classification adapter that breaks none of the rules above may still load, but we have not
  // verified how vLLM serves it: no command rather than a guessed one.
  if (blockers.length === 0 && facts.task_type !== null && facts.task_type !== "CAUSAL_LM") {
    return notCheckedVerdict(
      base,
      {
        code: "task_type",
        message: `This is a ${facts.task_type} adapter. vLLM serves classification models with a pooling runner, whose LoRA rules we have not verified, so we show no command for it.`,
        source: DOCS_SOURCE,
      },
      { needs, notes },
    );
  }

  const status = statusOf(blockers, needs);
  const name = target.adapterDir;
  const command =
    status === "does_not_load"
      ? null
      : [
          `vllm serve ${shellWord(facts.base_model)} \\`,
          "  --enable-lora \\",
          ...(needs.some((need) => need.code === "max_lora_rank")
            ? [`  --max-lora-rank ${maxLoraRank} \\`]
            : []),
          `  --lora-modules ${shellWord(`${name}=./${name}`)}`,
        ].join("\n");
  return { ...base, status, blockers, needs, notes, command };
}
