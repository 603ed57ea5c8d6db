/**
 * The only place the web app reads the environment (docs/architecture.md). Validated once at
 * start-up; a bad value stops the server with a message that names the variable and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { z } from "zod";

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
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    STORAGE_BACKEND: z.enum(["local", "supabase"]).default("local"),
    LOCAL_STORAGE_DIR: z.string().min(1).optional(),
    STORAGE_SIGNING_SECRET: secret("signs local download URLs").optional(),
    STORAGE_BUCKET: z.string().min(1).default("lora-models"),
    SUPABASE_STORAGE_URL: z
      .url("must be a URL such as https://<ref>.supabase.co/storage/v1")
      .optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
    PUBLIC_BASE_URL: z
      .url("must be the dashboard's public origin, e.g. http://localhost:3000")
      .default("http://localhost:3000")
      .transform((value) => value.replace(/\/+$/, "")),
    AUTH_JWT_SECRET: secret("verifies access tokens"),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_JWT_AUDIENCE: z.string().min(1).default("authenticated"),
    SESSION_SECRET: secret("signs the session cookie"),
    ENABLE_DEV_LOGIN: flag,
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
    if (env.STORAGE_BACKEND === "local" && !env.STORAGE_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["STORAGE_SIGNING_SECRET"],
        message:
          "is required when STORAGE_BACKEND=local (signs download URLs; at least 32 characters)",
      });
    }
    if (env.STORAGE_BACKEND === "supabase") {
      for (const key of ["SUPABASE_STORAGE_URL", "SUPABASE_SERVICE_ROLE_KEY"] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "is required when STORAGE_BACKEND=supabase",
          });
        }
      }
    }
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
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]!] = match[2]!.replace(/^["']|["']$/g, "");
  }
  return values;
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
  return path.resolve(env.LOCAL_STORAGE_DIR ?? path.join(repoRoot, ".data", "storage"));
}

export function devLoginEnabled(env: WebEnv): boolean {
  return env.ENABLE_DEV_LOGIN && env.NODE_ENV !== "production";
}
