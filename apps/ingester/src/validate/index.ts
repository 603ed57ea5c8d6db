import type { Transform } from "node:stream";

import { adapterConfigValidator, JSON_FILE_MAX_BYTES, JsonFileValidator } from "./adapter-config";
import { SafetensorsValidator } from "./safetensors";

export {
  ADAPTER_CONFIG_MAX_BYTES,
  type AdapterConfig,
  adapterConfigSchema,
  adapterConfigValidator,
  JsonFileValidator,
} from "./adapter-config";
export { InvalidArtifactFileError } from "./errors";
export { artifactFileNameSchema, contentTypeFor } from "./file-name";
export {
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsSummary,
  type SafetensorsTensor,
  SafetensorsValidator,
} from "./safetensors";

/** Files every LoRA artifact must have; a listing without them is not a model. */
export const REQUIRED_FILES = ["adapter_model.safetensors", "adapter_config.json"] as const;

/** The streaming check for a file, by name (null: stored as is, size and checksum only). */
export function validatorFor(fileName: string): Transform | null {
  if (fileName === "adapter_config.json") return adapterConfigValidator(fileName);
  if (fileName.endsWith(".safetensors")) return new SafetensorsValidator(fileName);
  if (fileName.endsWith(".json")) return new JsonFileValidator(fileName, JSON_FILE_MAX_BYTES, null);
  return null;
}
