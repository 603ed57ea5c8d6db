export { CHUNK_BYTES } from "./noise";
export { adapterConfig, type AdapterTensor, VOCAB_PER_HIDDEN } from "./peft";
export { PATH_TRAVERSAL_NAMES } from "./routes/listing";
export {
  minimumAdapterSizeBytes,
  safetensorsFile,
  type SafetensorsLayout,
  safetensorsLayout,
  safetensorsStream,
  type SafetensorsVariant,
} from "./safetensors";
export {
  type GpuClusterSim,
  type GpuClusterSimOptions,
  type SimLogEntry,
  startGpuClusterSim,
} from "./server";
export {
  ADAPTER_DTYPES,
  type AdapterDtype,
  ARTIFACT_FILE_NAMES,
  type ArtifactFileName,
  DEFAULT_ADAPTER_SIZE_BYTES,
  externalJobIdSchema,
  FAULT_MODES,
  FAULT_STATUSES,
  type FaultMode,
  type JobSpec,
  type JobSpecInput,
  jobSpecInputSchema,
  MODULES_TO_SAVE,
  type ModuleToSave,
  resolveJobSpec,
  RETRY_AFTER_FAULTS,
  TASK_TYPES,
  type TaskType,
} from "./spec";
export { type JobStats, type SimRoute, type SimStats } from "./state";
export { trainingArgs } from "./training-args";
export { sha256OfFile, type VirtualFile } from "./virtual-file";
