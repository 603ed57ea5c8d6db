import { z } from "zod";

/** How DATABASE_URL pools connections; the apps' env files reuse this (decision 0009). */
export const poolModeSchema = z.enum(["session", "transaction"]).default("session");

/** A Postgres connection URL (the apps' env files reuse it for their DATABASE_* variables). */
export const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");

/** The only place @mad/db reads the environment. */
const envSchema = z.object({
  DATABASE_URL: postgresUrlSchema.optional(),
  /**
   * How DATABASE_URL reaches Postgres: `session` (a direct connection or a session-mode pooler)
   * or `transaction` (a transaction-mode pooler such as Supabase's port 6543). Decision 0009.
   */
  DATABASE_POOL_MODE: poolModeSchema,
  /** A session connection for migrations when DATABASE_URL is a transaction-mode pooler. */
  DATABASE_DIRECT_URL: postgresUrlSchema.optional(),
  /** Where the embedded Postgres keeps its data when DATABASE_URL is unset. */
  PGDATA_DIR: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
});

export type DbEnv = z.infer<typeof envSchema>;

export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid database configuration:\n${problems}`);
  }
  return parsed.data;
}
