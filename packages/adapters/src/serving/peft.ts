/**
 * PEFT / transformers: `PeftModel.from_pretrained` loads any LoRA adapter_config.json it knows,
 * wrapped in the PeftModel class of its task type (peft/mapping.py,
 * MODEL_TYPE_TO_PEFT_MODEL_MAPPING: CAUSAL_LM, SEQ_CLS, SEQ_2_SEQ_LM, TOKEN_CLS, QUESTION_ANS,
 * FEATURE_EXTRACTION), on a base model loaded with the matching transformers Auto class.
 * DoRA (`use_dora`) arrived in PEFT v0.9.0 (https://github.com/huggingface/peft/releases/tag/v0.9.0);
 * older PEFT refuses the unknown field. `modules_to_save` modules are stored whole and replace
 * the base model's (peft/utils/other.py, ModulesToSaveWrapper).
 */
import type { AdapterFacts } from "../facts";
import { pythonString } from "./quote";
import type { ServingNote, ServingTarget, ServingVerdict } from "./verdict";
import { notCheckedVerdict, statusOf } from "./verdict";

const MAPPING_SOURCE = "peft/mapping.py (MODEL_TYPE_TO_PEFT_MODEL_MAPPING)";

/** The transformers Auto class a task type's base model is loaded with. */
const AUTO_CLASSES: Record<string, string> = {
  CAUSAL_LM: "AutoModelForCausalLM",
  SEQ_CLS: "AutoModelForSequenceClassification",
  TOKEN_CLS: "AutoModelForTokenClassification",
  SEQ_2_SEQ_LM: "AutoModelForSeq2SeqLM",
  QUESTION_ANS: "AutoModelForQuestionAnswering",
  FEATURE_EXTRACTION: "AutoModel",
};

export function peftVerdict(facts: AdapterFacts, target: ServingTarget): ServingVerdict {
  const blockers: ServingNote[] = [];
  const needs: ServingNote[] = [];
  const notes: ServingNote[] = [];
  const base = { engine: "peft", label: "PEFT / transformers", language: "python" } as const;
  const taskType = facts.task_type ?? "CAUSAL_LM";
  const autoClass = AUTO_CLASSES[taskType];
  if (!autoClass) {
    return notCheckedVerdict(
      base,
      {
        code: "task_type",
        message: `PEFT has no model class for task type "${taskType}" that we know of.`,
        source: MAPPING_SOURCE,
      },
      { needs, notes },
    );
  }
  if (facts.peft_type !== null && facts.peft_type !== "LORA") {
    notes.push({
      code: "peft_type",
      message: `peft_type is "${facts.peft_type}", not LORA; PEFT picks the tuner from it.`,
      source: "peft/mapping.py (PEFT_TYPE_TO_CONFIG_MAPPING)",
    });
  }
  if (facts.use_dora) {
    needs.push({
      code: "peft>=0.9.0",
      message: "DoRA adapters need PEFT 0.9.0 or newer.",
      source: "https://github.com/huggingface/peft/releases/tag/v0.9.0",
    });
  }
  if (facts.modules_to_save.length > 0) {
    notes.push({
      code: "modules_to_save",
      message: `The adapter carries whole modules (${facts.modules_to_save.join(", ")}); PEFT puts them in place of the base model's when it loads.`,
      source: "peft/utils/other.py (ModulesToSaveWrapper)",
    });
  }
  const headArgs =
    (taskType === "SEQ_CLS" || taskType === "TOKEN_CLS") && facts.num_labels !== null
      ? `, num_labels=${facts.num_labels}`
      : "";
  if (headArgs) {
    needs.push({
      code: "num_labels",
      message: `The saved classification head has ${facts.num_labels} labels; the base model must be built with as many (num_labels=${facts.num_labels}) or the head's weights do not fit.`,
      source: "transformers PretrainedConfig (num_labels)",
    });
  }
  const pip = facts.use_dora
    ? `pip install "peft>=0.9.0" transformers`
    : "pip install peft transformers";
  const command = [
    `# ${pip}`,
    `from transformers import ${autoClass}, AutoTokenizer`,
    "from peft import PeftModel",
    "",
    `base = ${autoClass}.from_pretrained(${pythonString(facts.base_model)}${headArgs})`,
    `tokenizer = AutoTokenizer.from_pretrained(${pythonString(facts.base_model)})`,
    `model = PeftModel.from_pretrained(base, ${pythonString(`./${target.adapterDir}`)})`,
  ].join("\n");
  return { ...base, status: statusOf(blockers, needs), blockers, needs, notes, command };
}
