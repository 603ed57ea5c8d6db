import { z } from "zod";

/** The three files a LoRA training job produces, in the order the listing names them. */
export const ARTIFACT_FILE_NAMES = [
  "adapter_model.safetensors",
  "adapter_config.json",
  "training_args.json",
] as const;
export type ArtifactFileName = (typeof ARTIFACT_FILE_NAMES)[number];

export const FAULT_MODES = [
  "http_500",
  "not_ready",
  "not_found",
  "slow",
  "reset_mid_file",
  "truncated",
  "wrong_checksum",
  "missing_file",
  "invalid_json",
  "bad_safetensors_header",
  "auth_refused",
  "path_traversal",
  "bad_listing",
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** Job ids travel in URL paths; anything else is not a job the cluster could have produced. */
export const externalJobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, "not a valid external job id");

/** What the control API and `registerJob` accept: every field optional, defaults below. */
export const jobSpecInputSchema = z
  .object({
    baseModel: z.string().min(1).max(200).optional(),
    rank: z.number().int().min(1).max(1024).optional(),
    loraAlpha: z.number().int().min(1).max(4096).optional(),
    targetModules: z
      .array(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, "module names are python identifiers"))
      .min(1)
      .max(16)
      .optional(),
    dtype: z.enum(["F16", "F32"]).optional(),
    /** Exact size of adapter_model.safetensors in bytes (16 TiB cap only to keep numbers exact). */
    adapterSizeBytes: z
      .number()
      .int()
      .min(2048)
      .max(2 ** 44)
      .optional(),
    /** Default: true when the adapter is ≤ 256 MiB (hashing a multi-GB stream takes seconds). */
    includeChecksums: z.boolean().optional(),
    fault: z.enum(FAULT_MODES).optional(),
    /** The fault applies to the first `faultCount` requests of its kind; omitted = always. */
    faultCount: z.number().int().min(0).optional(),
    /** Status for http_500 (500|502|503|504), not_ready (409|425), auth_refused (401|403). */
    faultStatus: z.number().int().min(400).max(599).optional(),
    /** Delay for `slow` (default 5000 ms). */
    faultDelayMs: z.number().int().min(0).max(600_000).optional(),
    /** The file a file-level fault targets (default adapter_model.safetensors). */
    faultFile: z.enum(ARTIFACT_FILE_NAMES).optional(),
    /** Sub-variant of a fault; see README. */
    faultVariant: z.string().max(40).optional(),
  })
  .strict();

export type JobSpecInput = z.infer<typeof jobSpecInputSchema>;

export const DEFAULT_ADAPTER_SIZE_BYTES = 256 * 1024;
const CHECKSUM_BY_DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** A job spec with every default filled in. */
export interface JobSpec {
  baseModel: string;
  rank: number;
  loraAlpha: number;
  targetModules: string[];
  dtype: "F16" | "F32";
  adapterSizeBytes: number;
  includeChecksums: boolean;
  fault: FaultMode | null;
  faultCount: number | null;
  faultStatus: number | null;
  faultDelayMs: number;
  faultFile: ArtifactFileName;
  faultVariant: string | null;
}

/** Fills in defaults; idempotent, so an already-resolved spec may be passed again. */
export function resolveJobSpec(input: JobSpecInput | JobSpec = {}): JobSpec {
  const rank = input.rank ?? 16;
  const adapterSizeBytes = input.adapterSizeBytes ?? DEFAULT_ADAPTER_SIZE_BYTES;
  return {
    baseModel: input.baseModel ?? "meta-llama/Llama-3.1-8B",
    rank,
    loraAlpha: input.loraAlpha ?? rank * 2,
    targetModules: input.targetModules ?? ["q_proj", "v_proj"],
    dtype: input.dtype ?? "F16",
    adapterSizeBytes,
    includeChecksums: input.includeChecksums ?? adapterSizeBytes <= CHECKSUM_BY_DEFAULT_MAX_BYTES,
    fault: input.fault ?? null,
    faultCount: input.faultCount ?? null,
    faultStatus: input.faultStatus ?? null,
    faultDelayMs: input.faultDelayMs ?? 5000,
    faultFile: input.faultFile ?? "adapter_model.safetensors",
    faultVariant: input.faultVariant ?? null,
  };
}
