/**
 * What the tensor names and shapes of adapter_model.safetensors say. Names follow PEFT's
 * `get_peft_model_state_dict` (peft/utils/save_and_load.py): `….lora_A.weight` /
 * `….lora_B.weight` (`lora_embedding_A/B` for embeddings, `lora_B.bias` with lora_bias),
 * `….lora_magnitude_vector` for DoRA, and every module of `modules_to_save` whole, under its
 * own name (`base_model.model.lm_head.weight`).
 */

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: readonly number[];
}

export type TensorKind = "lora" | "dora_magnitude" | "saved_module" | "other";

const LORA = /\.(lora_A|lora_B)\.(weight|bias)$|\.lora_embedding_[AB]$/;
const DORA = /\.lora_magnitude_vector(\.weight)?$/;
const LAYER = /\.layers\.(\d+)\./;
const LISTED = 20;

export function tensorKind(name: string, modulesToSave: readonly string[]): TensorKind {
  if (LORA.test(name)) return "lora";
  if (DORA.test(name)) return "dora_magnitude";
  const segments = name.split(".");
  if (modulesToSave.some((module) => segments.includes(module))) return "saved_module";
  return "other";
}

export const elementsOf = (shape: readonly number[]) =>
  shape.reduce((product, dim) => product * dim, 1);

export interface TensorFacts {
  count: number;
  /** Elements of the adapter's own tensors (LoRA A/B, DoRA magnitudes, saved modules). */
  parameter_count: number;
  /** dtype → number of tensors. */
  dtypes: Record<string, number>;
  lora: number;
  dora_magnitude: number;
  /** Whole modules saved with the adapter (`modules_to_save`), by name (at most 20). */
  saved_modules: string[];
  /** Tensors that are none of the above, by name (at most 20), and how many in all. */
  other: string[];
  other_count: number;
  /** Distinct `layers.{i}` the adapter touches; null when the names carry none. */
  layers: number | null;
}

export function tensorFacts(
  tensors: readonly TensorEntry[],
  modulesToSave: readonly string[],
): { facts: TensorFacts; numLabels: number | null } {
  const dtypes: Record<string, number> = {};
  const layers = new Set<number>();
  const saved: string[] = [];
  const other: string[] = [];
  let lora = 0;
  let dora = 0;
  let parameters = 0;
  let numLabels: number | null = null;
  for (const tensor of tensors) {
    dtypes[tensor.dtype] = (dtypes[tensor.dtype] ?? 0) + 1;
    const layer = LAYER.exec(tensor.name);
    if (layer) layers.add(Number(layer[1]));
    const kind = tensorKind(tensor.name, modulesToSave);
    if (kind === "other") {
      other.push(tensor.name);
      continue;
    }
    parameters += elementsOf(tensor.shape);
    if (kind === "lora") lora += 1;
    else if (kind === "dora_magnitude") dora += 1;
    else {
      saved.push(tensor.name);
      // A classification head saved whole has one row per label.
      if (/\.(score|classifier)\.weight$/.test(tensor.name) && tensor.shape.length === 2) {
        numLabels = tensor.shape[0] ?? null;
      }
    }
  }
  return {
    facts: {
      count: tensors.length,
      parameter_count: parameters,
      dtypes: Object.fromEntries(Object.entries(dtypes).sort(([a], [b]) => a.localeCompare(b))),
      lora,
      dora_magnitude: dora,
      saved_modules: saved.slice(0, LISTED),
      other: other.slice(0, LISTED),
      other_count: other.length,
      layers: layers.size > 0 ? layers.size : null,
    },
    numLabels,
  };
}
