import path from "node:path";
import { fileURLToPath } from "node:url";

import { readDbEnv } from "./env";
import { runMigrations } from "./migrate";
import { assertPoolMode, type PoolMode } from "./pool-mode";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface ResolvedDatabase {
  url: string;
  source: "DATABASE_URL" | "embedded";
  /** How `url` pools connections: what the clients built on it must allow for. */
  poolMode: PoolMode;
  stop: () => Promise<void>;
}

/**
 * The database the product runs on: DATABASE_URL when given (nothing is started), otherwise an
 * embedded Postgres with its data under `.data/postgres` (git-ignored). Either way it is
 * migrated before this returns.
 */
export async function resolveDatabase(
  options: {
    onLog?: (line: string) => void;
    /** Where an embedded Postgres keeps its data and listens, instead of the environment's. */
    embedded?: { dataDir?: string; port?: number };
    /** The environment to read (default: the process's). */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<ResolvedDatabase> {
  const env = readDbEnv(options.env);
  if (env.DATABASE_URL) {
    const poolMode = env.DATABASE_POOL_MODE;
    await assertPoolMode(env.DATABASE_URL, poolMode);
    // Migrations take a session advisory lock: through a transaction pooler it would be held by
    // a connection the pooler hands to someone else.
    const migrationUrl = poolMode === "transaction" ? env.DATABASE_DIRECT_URL : env.DATABASE_URL;
    if (!migrationUrl) {
      throw new Error(
        "DATABASE_POOL_MODE=transaction: migrations need a session connection. Set " +
          "DATABASE_DIRECT_URL to the direct connection (on Supabase: the one on port 5432).",
      );
    }
    await runMigrations(migrationUrl);
    return { url: env.DATABASE_URL, source: "DATABASE_URL", poolMode, stop: async () => {} };
  }
  // Loaded only when needed: a deployment with DATABASE_URL never loads the embedded binaries.
  const { startEmbeddedPostgres } = await import("./embedded");
  const cluster = await startEmbeddedPostgres({
    dataDir:
      options.embedded?.dataDir ?? env.PGDATA_DIR ?? path.join(repoRoot, ".data", "postgres"),
    port: options.embedded?.port ?? env.EMBEDDED_PG_PORT,
    database: "model_artifacts",
    onLog: options.onLog,
  });
  await runMigrations(cluster.url);
  return { url: cluster.url, source: "embedded", poolMode: "session", stop: cluster.stop };
}
