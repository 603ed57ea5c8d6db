/**
 * The only place the preflight reads the environment: the variables of a deployment's web and
 * ingester processes (docs/deploy.md). Problems are reported as a failed check, by name only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";

import { z } from "zod";

import { poolModeSchema } from "@mad/db";
import {
  storageConfigFromEnv,
  type StorageConfigInput,
  storageEnvIssues,
  storageEnvShape,
} from "@mad/storage";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const postgresUrl = z
  .string({ error: "is required" })
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");
const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

const doctorEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_MODE: poolModeSchema,
  DATABASE_DIRECT_URL: postgresUrl.optional(),
  // STORAGE_*, LOCAL_STORAGE_DIR and SUPABASE_* belong to @mad/storage (one owner).
  ...storageEnvShape,
  PUBLIC_BASE_URL: httpUrl.default("http://localhost:3000"),
  AUTH_JWT_SECRET: z.string().optional(),
  AUTH_JWKS_URL: httpUrl.optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).default("authenticated"),
  GPU_CLUSTER_API_URL: httpUrl,
  GPU_CLUSTER_API_KEY: z.string({ error: "is required" }).min(1, "is required"),
  /** Largest clock difference with the database and the services that is still fine. */
  DOCTOR_MAX_CLOCK_SKEW_SECONDS: z.coerce.number().min(0).max(3_600).default(30),
});

export type DoctorEnv = z.infer<typeof doctorEnvSchema> & { storage: StorageConfigInput };

export type DoctorEnvResult = { ok: true; env: DoctorEnv } | { ok: false; problems: string[] };

export function readDoctorEnv(source: NodeJS.ProcessEnv = process.env): DoctorEnvResult {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = doctorEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    };
  }
  const env = parsed.data;
  const problems = storageEnvIssues(env, {
    // Both processes of a deployment share the storage settings; the web signs URLs.
    signingSecretRequired: true,
    signingSecretWhy: "is required with STORAGE_BACKEND=local (signs download URLs)",
  }).map((issue) => `${issue.variable} ${issue.message}`);
  const storageInput = storageConfigFromEnv(env, {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    defaultLocalDir: path.join(repoRoot, ".data", "storage"),
  });
  if (!env.AUTH_JWKS_URL && (env.AUTH_JWT_SECRET ?? "").length < 32) {
    problems.push("AUTH_JWT_SECRET (at least 32 characters) or AUTH_JWKS_URL is required");
  }
  if (env.DATABASE_POOL_MODE === "transaction" && !env.DATABASE_DIRECT_URL) {
    problems.push("DATABASE_DIRECT_URL is required when DATABASE_POOL_MODE=transaction");
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, env: { ...env, storage: storageInput } };
}

/** The variables to check: an env file's (a deployment's `.env`), overridden by the process's. */
export function doctorEnvSource(envFile?: string): NodeJS.ProcessEnv {
  const fromFile = envFile ? parseEnv(readFileSync(envFile, "utf8")) : {};
  return { ...fromFile, ...process.env };
}
