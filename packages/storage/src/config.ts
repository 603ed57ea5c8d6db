import { z } from "zod";

import { createLocalStorage } from "./local/local-storage";
import { isSafeBucketName } from "./paths";
import { createSupabaseStorage } from "./supabase/supabase-storage";
import { DEFAULT_TUS_RETRY_DELAYS_MS } from "./supabase/tus";
import type { ArtifactStorage } from "./types";

const bucketSchema = z
  .string()
  .refine(isSafeBucketName, "bucket must be 1-63 letters, digits, '.', '_' or '-'")
  .default("lora-models");

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const storageConfigSchema = z.discriminatedUnion("backend", [
  z.object({
    backend: z.literal("local"),
    rootDir: z.string().min(1, "rootDir is required"),
    signingSecret: z.string().min(32, "signingSecret must be at least 32 characters"),
    publicBaseUrl: httpUrl,
    bucket: bucketSchema,
  }),
  z.object({
    backend: z.literal("supabase"),
    url: httpUrl,
    serviceRoleKey: z.string().min(1, "serviceRoleKey is required"),
    bucket: bucketSchema,
    /** A storage request that moves no byte for this long is cut. */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Waits between attempts of a failed resumable request; their sum is the outage ridden out. */
    tusRetryDelaysMs: z
      .array(z.number().int().min(0).max(600_000))
      .max(50)
      .default([...DEFAULT_TUS_RETRY_DELAYS_MS]),
    /** Bodies of a known size above this go through resumable (TUS) uploads. */
    resumableThresholdBytes: z
      .number()
      .int()
      .min(0)
      .default(6 * 1024 * 1024),
  }),
]);

/** Validated configuration (bucket filled in). */
export type StorageConfig = z.output<typeof storageConfigSchema>;
/** What callers may pass (bucket optional). */
export type StorageConfigInput = z.input<typeof storageConfigSchema>;

/** Validates `config` (throws a ZodError naming the bad fields) and builds its backend. */
export function createStorage(config: StorageConfigInput): ArtifactStorage {
  const parsed = storageConfigSchema.parse(config);
  if (parsed.backend === "local") {
    return createLocalStorage({
      rootDir: parsed.rootDir,
      signingSecret: parsed.signingSecret,
      publicBaseUrl: parsed.publicBaseUrl,
      bucket: parsed.bucket,
    });
  }
  return createSupabaseStorage({
    url: parsed.url,
    serviceRoleKey: parsed.serviceRoleKey,
    bucket: parsed.bucket,
    requestTimeoutMs: parsed.requestTimeoutMs,
    tusRetryDelaysMs: parsed.tusRetryDelaysMs,
    resumableThresholdBytes: parsed.resumableThresholdBytes,
  });
}
