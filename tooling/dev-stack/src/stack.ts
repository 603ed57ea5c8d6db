import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { findFreePort } from "@mad/db/dev";

import { type StackDatabase, startPersistentDatabase, startThrowawayDatabase } from "./database";
import { readStackEnv } from "./env";
import { queueReady, waitForIngestion } from "./ingestion";
import {
  httpAnswers,
  type ManagedProcess,
  onCpus,
  runToCompletion,
  startProcess,
  waitFor,
} from "./processes";
import { type DevSecrets, loadOrCreateDevSecrets } from "./secrets";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const webDir = path.join(repoRoot, "apps", "web");
const ingesterDir = path.join(repoRoot, "apps", "ingester");
const STORAGE_BUCKET = "lora-models";

/** Where a running stack's parts are and the secrets they share. */
export interface StackAddresses {
  webUrl: string;
  databaseUrl: string;
  /** Root folder of the local storage backend (STORAGE_BACKEND=local). */
  storageDir: string;
  storageBucket: string;
  /** Secrets the apps were started with: never print them. */
  secrets: DevSecrets;
}

/** Writes the stack's data itself, before the dashboard starts (e.g. the benchmark's rows). */
export type SeedFunction = (stack: StackAddresses) => Promise<void>;

export interface StackOptions {
  /**
   * Folder for Postgres data, stored files and secrets, kept between runs. Default: `<repo>/.data`.
   * Ignored with `throwaway`.
   */
  dataDir?: string;
  /**
   * A fresh folder in the OS temp dir instead, with its own embedded Postgres (no durability)
   * and fresh secrets; gone after `stop()`, and also when this process is killed.
   */
  throwaway?: boolean;
  /** "free": ports the OS picks. Default: web 3000, simulator 4010, Postgres 54329. */
  ports?: "free" | { web?: number; simulator?: number; postgres?: number };
  /** Host name in the dashboard's URL and PUBLIC_BASE_URL (it listens on 127.0.0.1). Default: localhost. */
  webHost?: string;
  /** NODE_ENV of the apps. Default: "development". */
  nodeEnv?: "development" | "test" | "production";
  /** The development login (ENABLE_DEV_LOGIN; never in production). Default: on. */
  devLogin?: boolean;
  /**
   * Use the existing production builds (the dashboard's, and in production the ingester's)
   * instead of building them (if there are any).
   */
  reuseBuild?: boolean;
  /** More environment for the dashboard only (WEB_CONCURRENCY, NODE_OPTIONS…). */
  webEnv?: Record<string, string>;
  /** More environment for the ingester only (retry delays, LOG_LEVEL…). */
  ingesterEnv?: Record<string, string>;
  /**
   * CPUs per process (taskset's lists), inherited by all each one starts: a benchmark on one
   * small machine can give the dashboard and the ingesters CPUs of their own, as separate hosts
   * would have. Postgres is never pinned. Default: no pinning.
   */
  cpus?: { web?: string; ingester?: string; simulator?: string };
  /**
   * What fills the database. "pipeline" (default): the GPU-cluster simulator and the ingester run
   * and the demo seed's jobs flow through the real trigger → pg-boss → ingester pipeline.
   * "none": the same services, no seed. A function: neither simulator nor ingester; the function
   * writes the data itself.
   */
  seed?: "pipeline" | "none" | SeedFunction;
  /** With the pipeline seed: resolve only once the ingester has stored every seeded job's artifact. */
  awaitIngestion?: boolean;
  /** Relay the children's logs to this process's output. */
  verbose?: boolean;
  /** The stack's own progress lines. Default: standard output. */
  log?: (line: string) => void;
}

export interface RunningStack extends StackAddresses {
  /** Null when the stack runs without the pipeline (a seed function). */
  simulatorUrl: string | null;
  dataDir: string;
  /**
   * Who stored the seeded artifacts, as far as the stack checked: "ingester" once `awaitIngestion`
   * saw them stored, "seed function" for a seed function, otherwise null.
   */
  storedBy: "ingester" | "seed function" | null;
  /** The environment the apps were started with (secrets included: never print it). */
  env: NodeJS.ProcessEnv;
  /**
   * The ingester's package script this stack ran: `start:prod` (compiled JavaScript, as deployed)
   * with NODE_ENV=production, `start` (the sources through tsx) otherwise. More ingesters of the
   * same stack run the same one.
   */
  ingesterScript: "start" | "start:prod";
  stop: () => Promise<void>;
}

/**
 * Brings up the whole product the way production runs it, on one machine: Postgres (embedded
 * unless DATABASE_URL is set), the GPU-cluster simulator, the ingester, the demo seed flowing
 * through the real trigger → pg-boss → ingester pipeline, and the built dashboard (server.js).
 * The run command, the browser tests and the benchmark all start it, with different options.
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
  let database: StackDatabase | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // The dashboard first (no new requests), then the rest together: the ingester hands its
      // running job back to the queue, the simulator just closes.
      const web = processes.filter((child) => child.name === "web");
      const others = processes.filter((child) => child.name !== "web");
      await Promise.all(web.map((child) => child.stop()));
      await Promise.all(others.map((child) => child.stop()));
      await database?.stop();
    })());
  const track = (child: ManagedProcess) => {
    processes.push(child);
    // Started while a stop was already under way (Ctrl-C during start-up): stop it too.
    if (stopping) void child.stop();
    return child;
  };
  const useDatabase = async (started: StackDatabase) => {
    database = started;
    if (stopping) await started.stop();
  };
  return { start: () => start(options, { track, useDatabase, stop }), stop };
}

interface Lifecycle {
  track: (child: ManagedProcess) => ManagedProcess;
  useDatabase: (database: StackDatabase) => Promise<void>;
  stop: () => Promise<void>;
}

async function portsFor(options: StackOptions) {
  if (options.ports === "free") {
    return {
      web: await findFreePort(),
      simulator: await findFreePort(),
      postgres: await findFreePort(),
    };
  }
  return {
    web: options.ports?.web ?? 3000,
    simulator: options.ports?.simulator ?? 4010,
    postgres: options.ports?.postgres,
  };
}

async function start(options: StackOptions, lifecycle: Lifecycle): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seed = options.seed ?? "pipeline";
  const pipeline = typeof seed === "string";
  const ports = await portsFor(options);
  const webUrl = `http://${options.webHost ?? "localhost"}:${ports.web}`;
  const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;

  log("starting Postgres and applying migrations…");
  const database = options.throwaway
    ? await startThrowawayDatabase({ port: ports.postgres })
    : await startPersistentDatabase({
        dataDir: path.resolve(options.dataDir ?? path.join(repoRoot, ".data")),
        port: ports.postgres,
      });
  await lifecycle.useDatabase(database);

  try {
    const secrets = await loadOrCreateDevSecrets(path.join(database.dataDir, "dev-secrets.env"));
    const addresses: StackAddresses = {
      webUrl,
      databaseUrl: database.url,
      storageDir: path.join(database.dataDir, "storage"),
      storageBucket: STORAGE_BUCKET,
      secrets,
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...secrets,
      DATABASE_URL: database.url,
      STORAGE_BACKEND: options.throwaway ? "local" : readStackEnv().STORAGE_BACKEND,
      LOCAL_STORAGE_DIR: addresses.storageDir,
      STORAGE_BUCKET,
      PUBLIC_BASE_URL: webUrl,
      GPU_CLUSTER_API_URL: simulatorUrl,
      GPU_CLUSTER_SIM_PORT: String(ports.simulator),
      GPU_CLUSTER_SIM_HOST: "127.0.0.1",
      AUTH_JWT_AUDIENCE: "authenticated",
      ENABLE_DEV_LOGIN: (options.devLogin ?? true) ? "true" : "false",
      // Development by default: the dev login is on and cookies work over plain http://localhost.
      NODE_ENV: options.nodeEnv ?? "development",
      PORT: String(ports.web),
      HOST: "127.0.0.1",
    };
    const quiet = !options.verbose;
    const spawnOptions = { env, cwd: repoRoot, quiet };

    // Production runs the ingester as it is deployed: compiled, without the tsx loader.
    const ingesterScript = options.nodeEnv === "production" ? "start:prod" : "start";
    const buildsIngester = pipeline && ingesterScript === "start:prod";
    const builds = [
      path.join(webDir, "build", "server", "index.js"),
      path.join(webDir, "build", "server-support.mjs"),
      ...(buildsIngester ? [path.join(ingesterDir, "dist", "main.mjs")] : []),
    ];
    if (options.reuseBuild && builds.every((file) => existsSync(file))) {
      log("reusing the existing builds");
    } else {
      // The `mad` CLI's bundle too: without it the bin still works, from sources, 0.4 s slower.
      log("building the dashboard and the CLI (cached after the first run)…");
      await runToCompletion(
        "build",
        "pnpm",
        [
          "exec",
          "turbo",
          "run",
          "build",
          "--filter=@mad/web",
          "--filter=@mad/cli",
          ...(buildsIngester ? ["--filter=@mad/ingester"] : []),
          "--output-logs=errors-only",
        ],
        { ...spawnOptions, env: { ...env, NODE_ENV: "production" } },
      );
    }

    let storedBy: RunningStack["storedBy"] = null;
    let ingester: ManagedProcess | undefined;
    if (pipeline) {
      const simulator = lifecycle.track(
        startProcess(
          "gpu-cluster-sim",
          ...onCpus(options.cpus?.simulator, "pnpm", ["--filter", "@mad/gpu-cluster-sim", "start"]),
          spawnOptions,
        ),
      );
      await waitFor("the GPU-cluster simulator", () => httpAnswers(`${simulatorUrl}/healthz`), {
        process: simulator,
      });
      ingester = lifecycle.track(
        startProcess(
          "ingester",
          ...onCpus(options.cpus?.ingester, "pnpm", ["--filter", "@mad/ingester", ingesterScript]),
          {
            ...spawnOptions,
            env: { ...env, ...options.ingesterEnv },
          },
        ),
      );
      await waitFor("the ingester's queue", () => queueReady(database.url), {
        process: ingester,
      });
    } else {
      log("writing the seed function's data…");
      await seed(addresses);
      storedBy = "seed function";
    }

    // The dashboard runs as this process's direct child (no pnpm in between), as in production.
    const web = lifecycle.track(
      // taskset (with `cpus.web`) execs Node in its place: still the direct child.
      startProcess("web", ...onCpus(options.cpus?.web, process.execPath, ["server.js"]), {
        ...spawnOptions,
        env: { ...env, ...options.webEnv },
        cwd: webDir,
      }),
    );
    await waitFor("the dashboard", () => httpAnswers(`${webUrl}/healthz`), { process: web });

    if (seed === "pipeline") {
      log("seeding demo training jobs (they complete and flow through the real pipeline)…");
      await runToCompletion("seed", "pnpm", ["--filter", "@mad/ingester", "seed"], spawnOptions);
      if (options.awaitIngestion && ingester) {
        log("waiting for the ingester to store the artifacts…");
        const stored = await waitForIngestion(database.url, ingester);
        log(`the ingester stored ${stored} artifacts`);
        storedBy = "ingester";
      }
    }
    return {
      ...addresses,
      simulatorUrl: pipeline ? simulatorUrl : null,
      dataDir: database.dataDir,
      storedBy,
      env,
      ingesterScript,
      stop: lifecycle.stop,
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
