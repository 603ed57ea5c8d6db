/**
 * The only place the web app reads the environment (docs/architecture.md). Validated once at
 * start-up; a bad value stops the server with a message that names the variable and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";

import { z } from "zod";

import { poolModeSchema, postgresUrlSchema } from "@mad/db";
import { localStorageDir, storageEnvIssues, storageEnvShape } from "@mad/storage";
import { webhookPolicyEnvShape } from "@mad/webhooks";

const secret = (what: string) =>
  z
    .string({ error: `is required (${what}; at least 32 characters)` })
    .min(32, `must be at least 32 characters (${what})`);

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

export const webEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: postgresUrlSchema.optional(),
    DATABASE_POOL_MODE: poolModeSchema,
    // LISTEN for live events needs a session: with a transaction-mode DATABASE_URL, a direct or
    // session-mode URL here (without it live events are off and the pages poll).
    DATABASE_DIRECT_URL: postgresUrlSchema.optional(),
    // STORAGE_*, LOCAL_STORAGE_DIR and SUPABASE_* belong to @mad/storage (one owner).
    ...storageEnvShape,
    PUBLIC_BASE_URL: z
      .url("must be the dashboard's public origin, e.g. http://localhost:3000")
      .default("http://localhost:3000")
      .transform((value) => value.replace(/\/+$/, "")),
    AUTH_JWT_SECRET: secret("verifies access tokens"),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_JWT_AUDIENCE: z.string().min(1).default("authenticated"),
    SESSION_SECRET: secret("signs the session cookie"),
    ENABLE_DEV_LOGIN: flag,
    // Which webhook receivers may be registered (@mad/webhooks owns the names; the ingester
    // applies the same policy at delivery).
    ...webhookPolicyEnvShape,
    // The training platform, where "Start a training job" leads; without it the link is not shown.
    PLATFORM_URL: z
      .url("must be the training platform's URL, e.g. https://platform.example.com")
      .optional(),
    // Larger request bodies are refused with 413 before they are read (server.js).
    REQUEST_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
  })
  .superRefine((env, ctx) => {
    const issues = storageEnvIssues(env, {
      signingSecretRequired: true,
      signingSecretWhy:
        "is required when STORAGE_BACKEND=local (signs download URLs; at least 32 characters)",
    });
    for (const issue of issues)
      ctx.addIssue({ code: "custom", path: [issue.variable], message: issue.message });
  });

export type WebEnv = z.infer<typeof webEnvSchema>;
export type EnvSource = Record<string, string | undefined>;

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Development secrets generated at first run (`.data/dev-secrets.env`, git-ignored) fill in what
 * the environment leaves unset, outside production only.
 */
function developmentDefaults(source: EnvSource): Record<string, string> {
  if (source.NODE_ENV === "production") return {};
  const file = path.join(repoRoot, ".data", "dev-secrets.env");
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    Object.entries(parseEnv(readFileSync(file, "utf8"))).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

export function readWebEnv(source: EnvSource = process.env): WebEnv {
  const merged = { ...developmentDefaults(source), ...source };
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ""));
  const parsed = webEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".") || "(environment)"}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid web configuration (environment variables):\n${problems}`);
  }
  return parsed.data;
}

export function defaultLocalStorageDir(env: WebEnv): string {
  return localStorageDir(env, path.join(repoRoot, ".data", "storage"));
}

export function devLoginEnabled(env: WebEnv): boolean {
  return env.ENABLE_DEV_LOGIN && env.NODE_ENV !== "production";
}

/** How `server.js` listens: read before the Remix build is loaded (it runs outside Vite). */
const listenEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Processes serving the dashboard (one per core at most is useful). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Port of /metrics (Prometheus), apart from the public one; unset: no metrics endpoint. */
  WEB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** How long requests in flight may finish on SIGTERM. */
  WEB_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(25),
});

export type ListenEnv = z.infer<typeof listenEnvSchema>;

export function readListenEnv(source: EnvSource = process.env): ListenEnv {
  // The production server is production unless told otherwise (docs/decisions/0011).
  source.NODE_ENV ??= "production";
  const parsed = listenEnvSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid web server configuration (environment variables):\n${problems}`);
  }
  return parsed.data;
}
