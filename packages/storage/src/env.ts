/**
 * The storage part of the environment, owned here so the ingester and the web app read it the
 * same way: their env.ts files merge `storageEnvShape` into their own schema, add
 * `storageEnvIssues` to their own problems and build the backend with `storageConfigFromEnv`.
 * Messages name the variable, never its value (the service key is a secret).
 */
import path from "node:path";

import { z } from "zod";

import type { StorageConfigInput } from "./config";
import { isSafeBucketName } from "./paths";
import { DEFAULT_TUS_RETRY_DELAYS_MS } from "./supabase/tus";

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, message: `must be an http(s) URL such as ${example}` });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "0,1000,3000" → [0, 1000, 3000]: waits (ms) between attempts of a failed resumable request. */
const delayList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "must be a comma-separated list of milliseconds")
  .transform((text) => text.split(",").map((item) => Number(item.trim())))
  .refine((delays) => delays.length <= 50, "must have at most 50 delays")
  .refine((delays) => delays.every((delay) => delay <= 600_000), "delays must be ≤ 600000 ms");

export const storageEnvShape = {
  STORAGE_BACKEND: z.enum(["local", "supabase"]).default("local"),
  LOCAL_STORAGE_DIR: z.string().min(1).optional(),
  STORAGE_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  STORAGE_BUCKET: z
    .string()
    .refine(isSafeBucketName, "must be 1-63 letters, digits, '.', '_' or '-'")
    .default("lora-models"),
  SUPABASE_STORAGE_URL: httpUrl("https://<ref>.supabase.co/storage/v1").optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  /** A storage request that moves no byte for this long is cut (no 300 s stall). */
  STORAGE_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** Their sum is how long a resumable upload waits out a storage outage. */
  STORAGE_TUS_RETRY_DELAYS_MS: delayList.default(() => [...DEFAULT_TUS_RETRY_DELAYS_MS]),
  /** Bodies of a known size above this go through resumable (TUS) uploads. */
  STORAGE_RESUMABLE_THRESHOLD_BYTES: int(0, Number.MAX_SAFE_INTEGER).default(6 * 1024 * 1024),
};

export const storageEnvSchema = z.object(storageEnvShape);
export type StorageEnv = z.output<typeof storageEnvSchema>;

export interface StorageEnvIssue {
  variable: keyof StorageEnv;
  message: string;
}

/** Rules that span variables. */
export function storageEnvIssues(
  env: StorageEnv,
  options: { signingSecretRequired: boolean; signingSecretWhy: string },
): StorageEnvIssue[] {
  const issues: StorageEnvIssue[] = [];
  if (env.STORAGE_BACKEND === "supabase") {
    for (const variable of ["SUPABASE_STORAGE_URL", "SUPABASE_SERVICE_ROLE_KEY"] as const) {
      if (!env[variable])
        issues.push({ variable, message: "is required when STORAGE_BACKEND=supabase" });
    }
  } else if (options.signingSecretRequired && !env.STORAGE_SIGNING_SECRET) {
    issues.push({ variable: "STORAGE_SIGNING_SECRET", message: options.signingSecretWhy });
  }
  return issues;
}

export interface StorageEnvContext {
  /** Origin local signed URLs point to (the dashboard). */
  publicBaseUrl: string;
  /** LOCAL_STORAGE_DIR when unset. */
  defaultLocalDir: string;
  /** Used when STORAGE_SIGNING_SECRET is unset (a process that never signs a URL). */
  fallbackSigningSecret?: string;
}

/** The backend's configuration; call after `storageEnvIssues` found nothing. */
export function storageConfigFromEnv(
  env: StorageEnv,
  context: StorageEnvContext,
): StorageConfigInput {
  if (env.STORAGE_BACKEND === "supabase") {
    return {
      backend: "supabase",
      url: env.SUPABASE_STORAGE_URL ?? "",
      serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY ?? "",
      bucket: env.STORAGE_BUCKET,
      requestTimeoutMs: env.STORAGE_REQUEST_TIMEOUT_MS,
      tusRetryDelaysMs: env.STORAGE_TUS_RETRY_DELAYS_MS,
      resumableThresholdBytes: env.STORAGE_RESUMABLE_THRESHOLD_BYTES,
    };
  }
  return {
    backend: "local",
    rootDir: localStorageDir(env, context.defaultLocalDir),
    signingSecret: env.STORAGE_SIGNING_SECRET ?? context.fallbackSigningSecret ?? "",
    publicBaseUrl: context.publicBaseUrl,
    bucket: env.STORAGE_BUCKET,
  };
}

/** The local backend's root folder, absolute. */
export function localStorageDir(env: StorageEnv, defaultLocalDir: string): string {
  return path.resolve(env.LOCAL_STORAGE_DIR ?? defaultLocalDir);
}
