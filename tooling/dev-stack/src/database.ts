import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { resolveDatabase, runMigrations } from "@mad/db";
import { findFreePort, startEmbeddedPostgres } from "@mad/db/dev";

import { readStackEnv } from "./env";

export interface StackDatabase {
  /** The folder of Postgres data, stored files and secrets. */
  dataDir: string;
  url: string;
  /** Stops Postgres; a throw-away stack's folder goes with it. */
  stop: () => Promise<void>;
}

/**
 * The product's own data: `<dataDir>/postgres` under the database of the environment
 * (DATABASE_URL, or an embedded Postgres on `port`), kept between runs.
 */
export async function startPersistentDatabase(options: {
  dataDir: string;
  port?: number;
}): Promise<StackDatabase> {
  // The embedded server runs under a supervisor process of its own (@mad/db), so Ctrl-C reaches
  // only this process, which stops the children first and Postgres last.
  const database = await resolveDatabase({
    embedded: {
      dataDir: readStackEnv().PGDATA_DIR ?? path.join(options.dataDir, "postgres"),
      port: options.port,
    },
  });
  return { dataDir: options.dataDir, url: database.url, stop: database.stop };
}

/** The prefix of a throw-away stack's folder in the OS temp dir. */
export const THROWAWAY_STACK_PREFIX = "mad-stack-";

/**
 * A stack that leaves nothing behind: a fresh folder in the OS temp dir and an embedded Postgres
 * in it without durability, on `port` or a free one. Its supervisor deletes the whole
 * folder once Postgres has stopped, however this process ends (even SIGKILL).
 */
export async function startThrowawayDatabase(options: { port?: number }): Promise<StackDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), THROWAWAY_STACK_PREFIX));
  const remove = () => rm(dataDir, { recursive: true, force: true });
  try {
    // As root, Postgres runs as the `postgres` system user, which must be able to write here.
    await chmod(dataDir, 0o777);
    await mkdir(path.join(dataDir, "storage"));
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      port: options.port ?? (await findFreePort()),
      database: "model_artifacts",
      ephemeral: true,
      removeOnExit: dataDir,
    });
    try {
      await runMigrations(cluster.url);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return {
      dataDir,
      url: cluster.url,
      stop: async () => {
        await cluster.stop();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
