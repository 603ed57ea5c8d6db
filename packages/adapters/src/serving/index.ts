/** Serving compatibility: every engine's verdict on one adapter, from its facts alone. */
import type { AdapterFacts } from "../facts";
import { peftVerdict } from "./peft";
import { tgiVerdict } from "./tgi";
import type { ServingTarget, ServingVerdict } from "./verdict";
import { vllmVerdict } from "./vllm";

export function servingCompatibility(facts: AdapterFacts, target: ServingTarget): ServingVerdict[] {
  return [peftVerdict(facts, target), vllmVerdict(facts, target), tgiVerdict(facts, target)];
}

export { peftVerdict } from "./peft";
export { adapterDirName, pythonString, shellWord } from "./quote";
export { TGI_IMAGE, TGI_LORA_MODULES, TGI_MAX_KERNEL_RANK, tgiPaddedRank, tgiVerdict } from "./tgi";
export type { ServingNote, ServingStatus, ServingTarget, ServingVerdict } from "./verdict";
export {
  VLLM_DEFAULT_MAX_LORA_RANK,
  VLLM_MAX_LORA_RANKS,
  vllmMaxLoraRankFor,
  vllmVerdict,
} from "./vllm";
