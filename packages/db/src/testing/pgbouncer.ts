/**
 * A real PgBouncer (Debian's package, installed by scripts/test.sh) in front of a test database,
 * in session or transaction mode: the connection poolers a Supabase deployment offers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { findFreePort } from "../embedded";
import type { PoolMode } from "../pool-mode";

export const PGBOUNCER_BINARY = "/usr/sbin/pgbouncer";

export interface PgBouncer {
  /** A URL like the target's, through the pooler. */
  url: string;
  mode: PoolMode;
  /** PgBouncer's own log, for a failing test's message. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPgBouncer(
  targetUrl: string,
  options: { mode: PoolMode; poolSize?: number },
): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BINARY)) {
    throw new Error(
      `${PGBOUNCER_BINARY} is missing: install Debian's pgbouncer (scripts/test.sh does)`,
    );
  }
  const target = new URL(targetUrl);
  const database = target.pathname.slice(1);
  const port = await findFreePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), "mad-pgbouncer-"));
  // As root PgBouncer refuses to run unless told a user (-u); that user must reach the folder.
  await chmod(dir, 0o777);
  const config = [
    "[databases]",
    `${database} = host=${target.hostname} port=${target.port} dbname=${database} ` +
      `user=${decodeURIComponent(target.username)} password=${decodeURIComponent(target.password)}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    // The test's own credentials are in the database line; clients are not checked.
    "auth_type = any",
    `pool_mode = ${options.mode}`,
    `default_pool_size = ${options.poolSize ?? 15}`,
    "max_client_conn = 500",
    "ignore_startup_parameters = extra_float_digits,options",
    `logfile = ${path.join(dir, "pgbouncer.log")}`,
    `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
  ].join("\n");
  const configFile = path.join(dir, "pgbouncer.ini");
  await writeFile(configFile, `${config}\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(
    PGBOUNCER_BINARY,
    [...(asRoot ? ["-u", "postgres"] : []), configFile],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const log = async () =>
    `${stderr}${await readFile(path.join(dir, "pgbouncer.log"), "utf8").catch(() => "")}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    const output = await log();
    await stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${output}`);
  }
  const url = new URL(targetUrl);
  url.port = String(port);
  return { url: url.toString(), mode: options.mode, log, stop };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`port ${port} not open after 10 s`);
}
