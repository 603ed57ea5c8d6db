import path from "node:path";
import { fileURLToPath } from "node:url";

import { readDbEnv } from "./env";
import { runMigrations } from "./migrate";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface ResolvedDatabase {
  url: string;
  source: "DATABASE_URL" | "embedded";
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
  } = {},
): Promise<ResolvedDatabase> {
  const env = readDbEnv();
  if (env.DATABASE_URL) {
    await runMigrations(env.DATABASE_URL);
    return { url: env.DATABASE_URL, source: "DATABASE_URL", stop: async () => {} };
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
  return { url: cluster.url, source: "embedded", stop: cluster.stop };
}
