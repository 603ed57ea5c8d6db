/**
 * Adapter facts at ingest: the copy's validators already parse adapter_config.json and the
 * safetensors header; this keeps what they read and turns it into the artifact's facts
 * (@mad/adapters). Facts that cannot be read never fail an ingestion — the files are sound (the
 * validators said so); the artifact is stored without facts and the reason is logged.
 */
import { readAdapterFacts } from "@mad/adapters";
import type { AdapterFactsRecord } from "@mad/db";

import type { ParsedContent } from "../copy/copy-files";

export const ADAPTER_CONFIG_FILE = "adapter_config.json";
export const ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";

export type FactsOutcome = { facts: AdapterFactsRecord } | { facts: null; reason: string };

export function adapterFactsFrom(
  config: unknown,
  tensors: Array<{ name: string; dtype: string; shape: number[] }> | null,
): FactsOutcome {
  if (config === undefined) return { facts: null, reason: `${ADAPTER_CONFIG_FILE} was not read` };
  if (tensors === null) return { facts: null, reason: `${ADAPTER_WEIGHTS_FILE} was not read` };
  const result = readAdapterFacts({ config, tensors });
  // AdapterFactsRecord (the column's type) and AdapterFacts (what is read) must stay one shape:
  // this assignment is where the compiler checks it.
  if (result.ok) return { facts: result.facts satisfies AdapterFactsRecord };
  return { facts: null, reason: result.reason };
}

/** Collects what the validators parse during one copy; `outcome()` once the copy is done. */
export function collectAdapterFacts() {
  let config: unknown = undefined;
  let tensors: Array<{ name: string; dtype: string; shape: number[] }> | null = null;
  return {
    onParsed: (fileName: string, content: ParsedContent): void => {
      if (fileName === ADAPTER_CONFIG_FILE && content.kind === "json") config = content.value;
      if (fileName === ADAPTER_WEIGHTS_FILE && content.kind === "safetensors") {
        tensors = content.summary.tensors;
      }
    },
    outcome: (): FactsOutcome => adapterFactsFrom(config, tensors),
  };
}
