import path from "node:path";
import { fileURLToPath } from "node:url";

import { resolveDatabase } from "@mad/db";
import postgres from "postgres";

import {
  httpAnswers,
  type ManagedProcess,
  runToCompletion,
  startProcess,
  waitFor,
} from "./processes";
import { loadOrCreateDevSecrets } from "./secrets";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface StackOptions {
  /** Folder for Postgres data, stored files and secrets. Default: `<repo>/.data`. */
  dataDir?: string;
  webPort?: number;
  simulatorPort?: number;
  postgresPort?: number;
  /** Run the demo seed (idempotent). */
  seed?: boolean;
  /** Relay the children's logs to this process's output. */
  verbose?: boolean;
  log?: (line: string) => void;
}

export interface RunningStack {
  webUrl: string;
  simulatorUrl: string;
  databaseUrl: string;
  /** The environment the apps were started with (secrets included: never print it). */
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/**
 * Brings up the whole product the way production runs it, on one machine: Postgres (embedded
 * unless DATABASE_URL is set), the GPU-cluster simulator, the ingester, the demo seed flowing
 * through the real trigger → pg-boss → ingester pipeline, and the built dashboard.
 */
export interface Stack {
  /** Starts everything; rejects (after stopping what did start) if any part fails. */
  start: () => Promise<RunningStack>;
  /** Stops whatever is running — also while `start` is still under way. Idempotent. */
  stop: () => Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  return createStack(options).start();
}

export function createStack(options: StackOptions = {}): Stack {
  const processes: ManagedProcess[] = [];
  let stopDatabase: () => Promise<void> = async () => {};
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // The dashboard first (no new requests), then the rest together: the ingester hands its
      // running job back to the queue, the simulator just closes.
      const web = processes.filter((child) => child.name === "web");
      const others = processes.filter((child) => child.name !== "web");
      await Promise.all(web.map((child) => child.stop()));
      await Promise.all(others.map((child) => child.stop()));
      await stopDatabase();
    })());
  const track = (child: ManagedProcess) => {
    processes.push(child);
    // Started while a stop was already under way (Ctrl-C during start-up): stop it too.
    if (stopping) void child.stop();
    return child;
  };
  return { start: () => start(options, track, stop, (fn) => (stopDatabase = fn)), stop };
}

async function start(
  options: StackOptions,
  track: (child: ManagedProcess) => ManagedProcess,
  stop: () => Promise<void>,
  setStopDatabase: (stop: () => Promise<void>) => void,
): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dataDir ?? path.join(repoRoot, ".data"));
  const webPort = options.webPort ?? 3000;
  const simulatorPort = options.simulatorPort ?? 4010;
  const webUrl = `http://localhost:${webPort}`;
  const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;

  const secrets = await loadOrCreateDevSecrets(path.join(dataDir, "dev-secrets.env"));
  if (!process.env.DATABASE_URL) {
    process.env.PGDATA_DIR ??= path.join(dataDir, "postgres");
    if (options.postgresPort) process.env.EMBEDDED_PG_PORT = String(options.postgresPort);
  }
  log("starting Postgres and applying migrations…");
  // The embedded server runs under a supervisor process of its own (@mad/db), so Ctrl-C reaches
  // only this process, which stops the children first and Postgres last.
  const database = await resolveDatabase();
  setStopDatabase(database.stop);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    DATABASE_URL: database.url,
    STORAGE_BACKEND: process.env.STORAGE_BACKEND ?? "local",
    LOCAL_STORAGE_DIR: path.join(dataDir, "storage"),
    STORAGE_BUCKET: "lora-models",
    PUBLIC_BASE_URL: webUrl,
    GPU_CLUSTER_API_URL: simulatorUrl,
    GPU_CLUSTER_SIM_PORT: String(simulatorPort),
    AUTH_JWT_AUDIENCE: "authenticated",
    ENABLE_DEV_LOGIN: "true",
    // A development run: the dev login is on and cookies work over plain http://localhost.
    NODE_ENV: "development",
    PORT: String(webPort),
    HOST: "127.0.0.1",
  };
  const spawnOptions = { env, cwd: repoRoot, quiet: !options.verbose };
  try {
    log("building the dashboard (cached after the first run)…");
    await runToCompletion(
      "build",
      "pnpm",
      ["exec", "turbo", "run", "build", "--filter=@mad/web", "--output-logs=errors-only"],
      spawnOptions,
    );

    const simulator = track(
      startProcess(
        "gpu-cluster-sim",
        "pnpm",
        ["--filter", "@mad/gpu-cluster-sim", "start"],
        spawnOptions,
      ),
    );
    await waitFor("the GPU-cluster simulator", () => httpAnswers(`${simulatorUrl}/healthz`), {
      process: simulator,
    });

    const ingester = track(
      startProcess("ingester", "pnpm", ["--filter", "@mad/ingester", "start"], spawnOptions),
    );
    await waitFor("the ingester's queue", () => queueReady(database.url), { process: ingester });

    const web = track(startProcess("web", "pnpm", ["--filter", "@mad/web", "start"], spawnOptions));
    await waitFor("the dashboard", () => httpAnswers(`${webUrl}/healthz`), { process: web });

    if (options.seed ?? true) {
      log("seeding demo training jobs (they complete and flow through the real pipeline)…");
      await runToCompletion("seed", "pnpm", ["--filter", "@mad/ingester", "seed"], spawnOptions);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { webUrl, simulatorUrl, databaseUrl: database.url, env, stop };
}

async function queueReady(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_namespace where nspname = 'pgboss'`;
    if (rows.length === 0) return false;
    const queues = await sql`select 1 from pgboss.queue limit 1`;
    return queues.length > 0;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
