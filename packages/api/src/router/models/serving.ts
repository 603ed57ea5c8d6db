/**
 * Whether the model loads in PEFT, vLLM and TGI, and the exact command, from its stored adapter facts
 * (@mad/adapters). Computed on every read, so a rule fixed in @mad/adapters applies to every
 * model at once. Commands load the adapter from `./{folder}`, the folder the page tells users to
 * download the files into.
 */
import { adapterDirName, servingCompatibility } from "@mad/adapters";
import type { ModelArtifact } from "@mad/db";

export function servingOf(artifact: Pick<ModelArtifact, "name" | "adapterFacts">) {
  if (!artifact.adapterFacts) return null;
  const adapterDir = adapterDirName(artifact.name);
  return {
    adapter_dir: adapterDir,
    engines: servingCompatibility(artifact.adapterFacts, { adapterDir }),
  };
}
