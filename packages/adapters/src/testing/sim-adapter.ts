/**
 * An adapter from the GPU-cluster simulator as the ingester sees it: adapter_config.json parsed,
 * and the tensors of the safetensors header read from the simulator's real header bytes.
 */
import { adapterConfig, type JobSpecInput, safetensorsLayout } from "@mad/gpu-cluster-sim";

import type { TensorEntry } from "../tensors";

export function headerTensors(header: Buffer): TensorEntry[] {
  const length = Number(header.readBigUInt64LE(0));
  const json = JSON.parse(header.subarray(8, 8 + length).toString("utf8")) as Record<
    string,
    { dtype: string; shape: number[] }
  >;
  return Object.entries(json)
    .filter(([name]) => name !== "__metadata__")
    .map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: tensor.shape }));
}

export function simAdapter(spec: JobSpecInput) {
  const layout = safetensorsLayout(spec);
  return {
    config: adapterConfig(spec),
    tensors: headerTensors(layout.header),
    layout,
  };
}
