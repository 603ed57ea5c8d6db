/**
 * The configuration diff of models.compare: every training-configuration and adapter-fact key
 * any of the compared models has, with each model's value and whether they differ. Pure, so the
 * rules (flattening, what "differs" means) are tested without a database.
 */
import type { AdapterFactsRecord, ArtifactConfiguration } from "@mad/db";

export interface ComparedConfiguration {
  configuration: ArtifactConfiguration | null;
  adapter_facts: AdapterFactsRecord | null;
}

export type ConfigurationGroup = "training" | "hyperparameter" | "adapter";

export interface ConfigurationDiffRow {
  group: ConfigurationGroup;
  /** Dotted path inside its group, e.g. "learning_rate" or "tensors.count". */
  key: string;
  /** One per model, in the order given; null where that model does not have the key. */
  values: unknown[];
  differs: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Leaves of a JSON object as dotted paths. Arrays stay whole (target_modules is one fact, not
 * one row per module); an empty object is a leaf too, or "no rank_pattern" would vanish.
 */
function flatten(value: Record<string, unknown>, prefix = "", out = new Map<string, unknown>()) {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(child) && Object.keys(child).length > 0) flatten(child, path, out);
    else out.set(path, child);
  }
  return out;
}

/** JSON with sorted keys, so two objects with the same entries in another order are equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

function groupsOf(model: ComparedConfiguration): Record<ConfigurationGroup, Map<string, unknown>> {
  const configuration = model.configuration;
  return {
    training: configuration
      ? flatten({ preset_id: configuration.preset_id, gpu_config: configuration.gpu_config })
      : new Map<string, unknown>(),
    hyperparameter: configuration
      ? flatten(configuration.hyperparameters)
      : new Map<string, unknown>(),
    // facts_version describes the record, not the adapter.
    adapter: model.adapter_facts
      ? flatten(
          Object.fromEntries(
            Object.entries(model.adapter_facts).filter(([key]) => key !== "facts_version"),
          ),
        )
      : new Map<string, unknown>(),
  };
}

const GROUP_ORDER: ConfigurationGroup[] = ["training", "hyperparameter", "adapter"];

/**
 * Rows grouped (training, hyperparameter, adapter) and sorted by key within a group. A key one
 * model lacks counts as null: "not recorded" and "recorded as null" both show as not set, and a
 * row highlighted as differing must show different values.
 */
export function configurationDiff(
  models: readonly ComparedConfiguration[],
): ConfigurationDiffRow[] {
  const perModel = models.map(groupsOf);
  const rows: ConfigurationDiffRow[] = [];
  for (const group of GROUP_ORDER) {
    const keys = new Set(perModel.flatMap((groups) => [...groups[group].keys()]));
    for (const key of [...keys].sort()) {
      const values = perModel.map((groups) => groups[group].get(key) ?? null);
      const differs = new Set(values.map(canonical)).size > 1;
      rows.push({ group, key, values, differs });
    }
  }
  return rows;
}
