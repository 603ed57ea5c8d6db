export {
  type GpuClusterSim,
  type GpuClusterSimOptions,
  type SimLogEntry,
  startGpuClusterSim,
} from "./server";
export { PATH_TRAVERSAL_NAMES } from "./routes/listing";
export { type JobStats, type SimRoute, type SimStats } from "./state";
export {
  adapterConfig,
  CHUNK_BYTES,
  safetensorsFile,
  safetensorsLayout,
  type SafetensorsLayout,
  safetensorsStream,
  type SafetensorsVariant,
  sha256OfFile,
  trainingArgs,
  type VirtualFile,
} from "./generate";
export {
  ARTIFACT_FILE_NAMES,
  type ArtifactFileName,
  DEFAULT_ADAPTER_SIZE_BYTES,
  externalJobIdSchema,
  FAULT_MODES,
  type FaultMode,
  type JobSpec,
  type JobSpecInput,
  jobSpecInputSchema,
  resolveJobSpec,
} from "./spec";
