/**
 * "Use this adapter": one entry per serving engine, from the API's serving verdicts
 * (models.byId → serving, computed by @mad/adapters from the adapter's own files), so every
 * command carries the flags this adapter needs — `--max-lora-rank` for a rank above 16, and no
 * vLLM command at all for an adapter vLLM refuses. A model whose files were not read (stored
 * before adapter facts existed) gets the PEFT snippet, which loads any LoRA adapter, and no
 * guessed vLLM or Text Generation Inference command.
 */
// The serving entry point only: the facts reader's zod schema stays out of the browser bundle.
import { adapterDirName, pythonString } from "@mad/adapters/serving";

import type { ModelDetail } from "../components/model/types";

type Serving = NonNullable<ModelDetail["serving"]>;
type Verdict = Serving["engines"][number];

export interface UsageSnippet {
  engine: string;
  label: string;
  status: Verdict["status"];
  /** The status in words, for the badge. */
  statusText: string;
  code: string | null;
  /** Why it does not load / was not checked. */
  blockers: string[];
  /** What the command adds beyond the defaults. */
  needs: string[];
  notes: string[];
}

export const STATUS_TEXT: Record<Verdict["status"], string> = {
  loads: "Loads as is",
  loads_with_flags: "Loads with the settings below",
  does_not_load: "Does not load",
  not_checked: "Not checked",
};

export { adapterDirName };

/** PEFT's loading code for a causal LM adapter, when the adapter's own files were not read. */
export function peftSnippet(baseModel: string, dir: string): string {
  return [
    "# pip install peft transformers",
    "from transformers import AutoModelForCausalLM, AutoTokenizer",
    "from peft import PeftModel",
    "",
    `base = AutoModelForCausalLM.from_pretrained(${pythonString(baseModel)})`,
    `tokenizer = AutoTokenizer.from_pretrained(${pythonString(baseModel)})`,
    `model = PeftModel.from_pretrained(base, ${pythonString(`./${dir}`)})`,
  ].join("\n");
}

const texts = (notes: readonly { message: string }[]) => notes.map((note) => note.message);

export function usageSnippets(
  model: Pick<ModelDetail, "name" | "serving">,
  baseModel: string,
): { adapterDir: string; snippets: UsageSnippet[]; fromFacts: boolean } {
  if (model.serving) {
    return {
      adapterDir: model.serving.adapter_dir,
      fromFacts: true,
      snippets: model.serving.engines.map((verdict) => ({
        engine: verdict.engine,
        label: verdict.label,
        status: verdict.status,
        statusText: STATUS_TEXT[verdict.status],
        code: verdict.command,
        blockers: texts(verdict.blockers),
        needs: texts(verdict.needs),
        notes: texts(verdict.notes),
      })),
    };
  }
  const adapterDir = adapterDirName(model.name);
  return {
    adapterDir,
    fromFacts: false,
    snippets: [
      {
        engine: "peft",
        label: "PEFT / transformers",
        status: "loads",
        statusText: STATUS_TEXT.loads,
        code: peftSnippet(baseModel, adapterDir),
        blockers: [],
        needs: [],
        notes: [],
      },
      {
        engine: "vllm",
        label: "vLLM",
        status: "not_checked",
        statusText: STATUS_TEXT.not_checked,
        code: null,
        blockers: [
          "This model's adapter files have not been read yet, so its rank and modules are unknown: vLLM needs --max-lora-rank at or above the rank, and refuses DoRA and modules_to_save adapters.",
        ],
        needs: [],
        notes: [],
      },
      {
        engine: "tgi",
        label: "Text Generation Inference",
        status: "not_checked",
        statusText: STATUS_TEXT.not_checked,
        code: null,
        blockers: [
          "This model's adapter files have not been read yet, so its rank and modules are unknown: Text Generation Inference ignores DoRA, modules_to_save and bias and applies LoRA only to attention and MLP projections.",
        ],
        needs: [],
        notes: [],
      },
    ],
  };
}
