/**
 * The only place the ingester reads the environment. Everything is validated at start-up with a
 * message that names each missing or wrong variable (never its value: some are secrets).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import {
  storageConfigFromEnv as storageConfigFromStorageEnv,
  type StorageConfigInput,
  storageEnvIssues,
  storageEnvSchema,
  storageEnvShape,
} from "@mad/storage";
import { webhookPolicyEnvShape } from "@mad/webhooks";

import { WEBHOOK_CONCURRENCY } from "./queue/worker";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  GPU_CLUSTER_API_URL: z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? "is required" : "must be an http(s) URL"),
  }),
  GPU_CLUSTER_API_KEY: z.string({ error: "is required" }).min(1, "is required"),
  // STORAGE_*, LOCAL_STORAGE_DIR and SUPABASE_* belong to @mad/storage (one owner).
  ...storageEnvShape,
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .default("http://localhost:3000"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Jobs one process works on at once. */
  INGESTER_CONCURRENCY: int(1, 64).default(2),
  /** pg-boss attempts after the first one. */
  INGEST_RETRY_LIMIT: int(0, 100).default(5),
  INGEST_RETRY_DELAY_SECONDS: int(0, 86_400).default(30),
  INGEST_RETRY_DELAY_MAX_SECONDS: int(1, 86_400).default(900),
  /** A killed worker's job is taken over after this many seconds without a heartbeat (≥ 10). */
  INGEST_HEARTBEAT_SECONDS: int(10, 3_600).default(30),
  /** Upper bound of one attempt (multi-GB copies take a while). */
  INGEST_EXPIRE_SECONDS: int(60, 86_400).default(4 * 3_600),
  /** How often pg-boss looks for expired jobs and lost heartbeats. */
  PGBOSS_MONITOR_INTERVAL_SECONDS: int(1, 600).default(10),
  INGEST_SWEEP_CRON: z.string().min(9).default("* * * * *"),
  /** The sweep removes storage leftovers of dead writers untouched for this long. */
  INGEST_STALE_UPLOAD_SECONDS: int(60, 86_400).default(900),
  CLUSTER_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  CLUSTER_IDLE_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  CLUSTER_RETRIES: int(0, 20).default(4),
  CLUSTER_RETRY_BASE_MS: int(1, 600_000).default(500),
  CLUSTER_RETRY_MAX_MS: int(1, 600_000).default(15_000),
  /** How long a job's files may be "not ready yet" on the cluster before the ingestion fails. */
  CLUSTER_NOT_READY_WINDOW_SECONDS: int(0, 86_400).default(600),
  /** Port of /healthz, /readyz and /metrics; unset: no HTTP server (docs/deploy.md). */
  INGESTER_HTTP_PORT: int(0, 65_535).optional(),
  INGESTER_HTTP_HOST: z.string().min(1).default("0.0.0.0"),
  /** Outbound webhooks (decision 0017): http:// and private/loopback receivers are refused unless set. */
  ...webhookPolicyEnvShape,
  WEBHOOK_TIMEOUT_MS: int(500, 60_000).default(10_000),
  /** Webhook deliveries sent at once by this process. */
  WEBHOOK_CONCURRENCY: int(1, 64).default(WEBHOOK_CONCURRENCY),
  /** Grace period for running jobs on SIGTERM. */
  SHUTDOWN_GRACE_SECONDS: int(1, 3_600).default(60),
});

export type IngesterEnv = z.infer<typeof envSchema>;

export function readIngesterEnv(source: NodeJS.ProcessEnv = process.env): IngesterEnv {
  const parsed = envSchema.safeParse(source);
  // The rules across storage variables are checked even when another variable is wrong, so
  // one run reports every problem.
  const storagePart = storageEnvSchema.safeParse(source);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)),
    ...(storagePart.success
      ? storageEnvIssues(storagePart.data, {
          // The ingester only writes; it never signs a URL, so outside production any will do.
          signingSecretRequired: source.NODE_ENV === "production",
          signingSecretWhy: "is required in production",
        }).map((issue) => `  ${issue.variable}: ${issue.message}`)
      : []),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new Error(`Invalid ingester configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

const backfillEnvSchema = envSchema.pick({
  NODE_ENV: true,
  PUBLIC_BASE_URL: true,
  LOG_LEVEL: true,
  STORAGE_BACKEND: true,
  LOCAL_STORAGE_DIR: true,
  STORAGE_SIGNING_SECRET: true,
  STORAGE_BUCKET: true,
  SUPABASE_STORAGE_URL: true,
  SUPABASE_SERVICE_ROLE_KEY: true,
  STORAGE_REQUEST_TIMEOUT_MS: true,
  STORAGE_TUS_RETRY_DELAYS_MS: true,
  STORAGE_RESUMABLE_THRESHOLD_BYTES: true,
});

export type BackfillEnv = z.infer<typeof backfillEnvSchema>;

/** The back-fill command's configuration: storage and logging only (no GPU cluster). */
export function readBackfillEnv(source: NodeJS.ProcessEnv = process.env): BackfillEnv {
  const parsed = backfillEnvSchema.safeParse(source);
  const problems = [
    ...(parsed.success
      ? storageEnvIssues(parsed.data, {
          signingSecretRequired: false,
          signingSecretWhy: "",
        }).map((issue) => `  ${issue.variable}: ${issue.message}`)
      : parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new Error(`Invalid back-fill configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

export function storageConfigFromEnv(env: BackfillEnv): StorageConfigInput {
  return storageConfigFromStorageEnv(env, {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    defaultLocalDir: path.join(repoRoot, ".data", "storage"),
    fallbackSigningSecret: randomBytes(32).toString("hex"),
  });
}

const seedEnvSchema = z.object({
  /** The simulator to register demo jobs with; without it the demo jobs get default files. */
  GPU_CLUSTER_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .optional(),
});

/** The demo seed's configuration (it needs no secrets). */
export function readSeedEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = seedEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid seed configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}
