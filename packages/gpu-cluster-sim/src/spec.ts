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
  "file_not_ready",
  "hang",
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** Tensor dtypes of the adapter (the simulator's own padding tensor is always U8). */
export const ADAPTER_DTYPES = ["F16", "BF16", "F32"] as const;
export type AdapterDtype = (typeof ADAPTER_DTYPES)[number];

/**
 * PEFT task types the simulator models (PEFT's TaskType enum has more; the others would change
 * the checkpoint's module tree). SEQ_CLS and TOKEN_CLS add a `score` head, as PEFT does.
 */
export const TASK_TYPES = ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Whole modules an adapter may save next to its LoRA weights (`modules_to_save`). */
export const MODULES_TO_SAVE = ["embed_tokens", "lm_head"] as const;
export type ModuleToSave = (typeof MODULES_TO_SAVE)[number];

/** Job ids travel in URL paths; anything else is not a job the cluster could have produced. */
export const externalJobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, "not a valid external job id");

/** The statuses each status-bearing fault may answer with (`faultStatus`); the first is the default. */
export const FAULT_STATUSES = {
  http_500: [500, 502, 503, 504],
  not_ready: [409, 404, 423, 425, 503],
  auth_refused: [401, 403],
  file_not_ready: [503, 404],
} as const satisfies Partial<Record<FaultMode, readonly number[]>>;

/** The faults that may carry a `Retry-After` header (`faultRetryAfterSeconds`). */
export const RETRY_AFTER_FAULTS: readonly FaultMode[] = [
  "http_500",
  "not_ready",
  "not_found",
  "file_not_ready",
  "missing_file",
];

/** Where a stalling fault (`slow`, `hang`) strikes: the listing, or `faultFile` before/mid body. */
const STALL_VARIANTS = ["listing", "file_headers", "file_mid_body"];

/** The floor of `adapterSizeBytes`; a spec may need more (`minimumAdapterSizeBytes`). */
export const MIN_ADAPTER_SIZE_BYTES = 2048;

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
    dtype: z.enum(ADAPTER_DTYPES).optional(),
    /** Whole modules saved in full next to the LoRA weights (PEFT `modules_to_save`). */
    modulesToSave: z
      .array(z.enum(MODULES_TO_SAVE))
      .max(MODULES_TO_SAVE.length)
      .refine((names) => new Set(names).size === names.length, "names must not repeat")
      .optional(),
    /** DoRA: config `use_dora: true` and one magnitude vector per adapted module. */
    useDora: z.boolean().optional(),
    /** rsLoRA: config `use_rslora: true` (scaling alpha/√r instead of alpha/r; no tensor changes). */
    useRslora: z.boolean().optional(),
    taskType: z.enum(TASK_TYPES).optional(),
    /** Exact size of adapter_model.safetensors in bytes (16 TiB cap only to keep numbers exact). */
    adapterSizeBytes: z
      .number()
      .int()
      .min(MIN_ADAPTER_SIZE_BYTES)
      .max(2 ** 44)
      .optional(),
    /** Default: true when the adapter is ≤ 256 MiB (hashing a multi-GB stream takes seconds). */
    includeChecksums: z.boolean().optional(),
    fault: z.enum(FAULT_MODES).optional(),
    /** The fault applies to the first `faultCount` requests of its kind; omitted = always. */
    faultCount: z.number().int().min(0).optional(),
    /** Status of http_500, not_ready, auth_refused, file_not_ready: see FAULT_STATUSES. */
    faultStatus: z.number().int().min(400).max(599).optional(),
    /**
     * `Retry-After` (delta-seconds) of the faults in RETRY_AFTER_FAULTS; `null` sends none.
     * Default: 1 for not_ready, file_not_ready and http_500 with 503; none otherwise.
     */
    faultRetryAfterSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
    /** Delay for `slow` (default 5000 ms). */
    faultDelayMs: z.number().int().min(0).max(600_000).optional(),
    /** The file a file-level fault targets (default adapter_model.safetensors). */
    faultFile: z.enum(ARTIFACT_FILE_NAMES).optional(),
    /** Sub-variant of a fault; see README. */
    faultVariant: z.string().max(40).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.taskType && spec.taskType !== "CAUSAL_LM" && spec.modulesToSave?.includes("lm_head")) {
      ctx.addIssue({
        code: "custom",
        path: ["modulesToSave"],
        message: `a ${spec.taskType} model has a score head, not an lm_head`,
      });
    }
    const allowed = spec.fault
      ? (FAULT_STATUSES as Partial<Record<FaultMode, readonly number[]>>)[spec.fault]
      : undefined;
    if (spec.faultStatus !== undefined && allowed && !allowed.includes(spec.faultStatus)) {
      ctx.addIssue({
        code: "custom",
        path: ["faultStatus"],
        message: `${spec.fault} answers one of ${allowed.join(", ")}`,
      });
    }
    if (
      spec.faultRetryAfterSeconds !== undefined &&
      !(spec.fault && RETRY_AFTER_FAULTS.includes(spec.fault))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["faultRetryAfterSeconds"],
        message: `only ${RETRY_AFTER_FAULTS.join(", ")} send Retry-After`,
      });
    }
    if (
      spec.fault === "hang" &&
      spec.faultVariant !== undefined &&
      !STALL_VARIANTS.includes(spec.faultVariant)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["faultVariant"],
        message: `hang strikes one of ${STALL_VARIANTS.join(", ")}`,
      });
    }
  });

export type JobSpecInput = z.infer<typeof jobSpecInputSchema>;

export const DEFAULT_ADAPTER_SIZE_BYTES = 256 * 1024;
const CHECKSUM_BY_DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** A job spec with every default filled in. */
export interface JobSpec {
  baseModel: string;
  rank: number;
  loraAlpha: number;
  targetModules: string[];
  dtype: AdapterDtype;
  modulesToSave: ModuleToSave[];
  useDora: boolean;
  useRslora: boolean;
  taskType: TaskType;
  adapterSizeBytes: number;
  includeChecksums: boolean;
  fault: FaultMode | null;
  faultCount: number | null;
  faultStatus: number | null;
  /** Seconds for `Retry-After`, or null for no header. */
  faultRetryAfterSeconds: number | null;
  faultDelayMs: number;
  faultFile: ArtifactFileName;
  faultVariant: string | null;
}

/** Fills in defaults; idempotent, so an already-resolved spec may be passed again. */
export function resolveJobSpec(input: JobSpecInput | JobSpec = {}): JobSpec {
  const rank = input.rank ?? 16;
  const fault = input.fault ?? null;
  const faultStatus = input.faultStatus ?? null;
  const adapterSizeBytes = input.adapterSizeBytes ?? DEFAULT_ADAPTER_SIZE_BYTES;
  return {
    baseModel: input.baseModel ?? "meta-llama/Llama-3.1-8B",
    rank,
    loraAlpha: input.loraAlpha ?? rank * 2,
    targetModules: input.targetModules ?? ["q_proj", "v_proj"],
    dtype: input.dtype ?? "F16",
    modulesToSave: input.modulesToSave ?? [],
    useDora: input.useDora ?? false,
    useRslora: input.useRslora ?? false,
    taskType: input.taskType ?? "CAUSAL_LM",
    adapterSizeBytes,
    includeChecksums: input.includeChecksums ?? adapterSizeBytes <= CHECKSUM_BY_DEFAULT_MAX_BYTES,
    fault,
    faultCount: input.faultCount ?? null,
    faultStatus,
    faultRetryAfterSeconds:
      input.faultRetryAfterSeconds === undefined
        ? defaultRetryAfter(fault, faultStatus)
        : input.faultRetryAfterSeconds,
    faultDelayMs: input.faultDelayMs ?? 5000,
    faultFile: input.faultFile ?? "adapter_model.safetensors",
    faultVariant: input.faultVariant ?? null,
  };
}

/** Retry-After as the simulator always sent it: 1 s on "come back soon" answers, none else. */
function defaultRetryAfter(fault: FaultMode | null, status: number | null): number | null {
  if (fault === "not_ready" || fault === "file_not_ready") return 1;
  if (fault === "http_500" && status === 503) return 1;
  return null;
}
