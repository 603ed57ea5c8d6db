import { createHash } from "node:crypto";

import { adapterConfig } from "./peft";
import { safetensorsFile, type SafetensorsVariant } from "./safetensors";
import { type JobSpec } from "./spec";
import { trainingArgs } from "./training-args";
import { brokenJsonFile, bufferFile, jsonFile, type VirtualFile } from "./virtual-file";

/** The spec fields that decide a job's bytes (faults and checksum listing do not). */
function contentFingerprint(spec: JobSpec): string {
  const { baseModel, rank, loraAlpha, targetModules, dtype, adapterSizeBytes } = spec;
  const { modulesToSave, useDora, useRslora, taskType } = spec;
  return JSON.stringify({
    baseModel,
    rank,
    loraAlpha,
    targetModules,
    dtype,
    adapterSizeBytes,
    modulesToSave,
    useDora,
    useRslora,
    taskType,
  });
}

/** Names one served file version: checksum cache key and ETag source. */
export function fileIdentity(
  jobId: string,
  spec: JobSpec,
  fileName: string,
  variant: string,
): string {
  return `${jobId}\n${contentFingerprint(spec)}\n${fileName}\n${variant}`;
}

export function fileEtag(jobId: string, spec: JobSpec, fileName: string, variant: string): string {
  const digest = createHash("sha256").update(fileIdentity(jobId, spec, fileName, variant));
  return `"${digest.digest("hex").slice(0, 32)}"`;
}

function safetensorsVariantFor(variant: string): SafetensorsVariant {
  return variant === "length_beyond_file" || variant === "not_json" ? variant : "ok";
}

/** The bytes behind (job, file name, variant). Variants come only from signed URLs. */
export function buildFile(
  jobId: string,
  spec: JobSpec,
  fileName: string,
  variant: string,
): VirtualFile | null {
  switch (fileName) {
    case "adapter_model.safetensors":
      return safetensorsFile(jobId, spec, safetensorsVariantFor(variant));
    case "adapter_config.json":
      return variant === "invalid_json"
        ? brokenJsonFile(adapterConfig(spec))
        : jsonFile(adapterConfig(spec));
    case "training_args.json":
      return variant === "invalid_json"
        ? brokenJsonFile(trainingArgs(jobId, spec))
        : jsonFile(trainingArgs(jobId, spec));
    default:
      return variant === "probe"
        ? bufferFile(
            Buffer.from(
              `path traversal probe for ${jobId}: this file must never leave its folder\n`,
            ),
            "text/plain",
          )
        : null;
  }
}
