import { z } from "zod";
import { createLocalStorage } from "./local/local-storage";
import { isSafeBucketName } from "./paths";
import { createSupabaseStorage } from "./supabase/supabase-storage";
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
  });
}
