/**
 * Brings up the real product for end-to-end tests and the benchmark: an ephemeral embedded
 * Postgres (temp dir, free port, migrated), the GPU-cluster simulator and the ingester as child
 * processes fed by the ingester's demo seed (the benchmark alone uses the clearly labelled
 * FALLBACK seed of rows and files, to measure rendering with a known data size), then the
 * production build of the web app (`server.js`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  createDb,
  DEMO_USERS,
  findFreePort as freePort,
  runMigrations,
  startEmbeddedPostgres,
} from "@mad/db";
import { createStorage } from "@mad/storage";

import { fallbackSeed } from "./fallback-seed";

export const webDir = fileURLToPath(new URL("../..", import.meta.url));
const repoRoot = path.resolve(webDir, "../..");

type EnvVars = Record<string, string | undefined>;

export interface StackInfo {
  baseUrl: string;
  databaseUrl: string;
  storageDir: string;
  sessionSecret: string;
  authJwtSecret: string;
  storageSigningSecret: string;
  /** "ingester" when the real pipeline stored the artifacts, "fallback" otherwise. */
  seededBy: "ingester" | "fallback";
  logDir: string;
}

export interface StackOptions {
  /** "pipeline": simulator + ingester + seed (fails if the pipeline does). "fallback": rows only (benchmark). */
  seed: "pipeline" | "fallback";
  nodeEnv: "production" | "test";
  enableDevLogin: boolean;
  /** Skip `remix vite:build` when a build already exists (E2E_SKIP_BUILD=1). */
  reuseBuild?: boolean;
  fallbackCounts?: { ada: number; grace: number };
  /** Extra environment for the web server (e.g. NODE_OPTIONS for profiling). */
  webEnv?: EnvVars;
  log?: (line: string) => void;
}

const secret = () => randomBytes(32).toString("base64url");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Child {
  name: string;
  process: ChildProcess;
  output: string[];
}

function start(name: string, command: string, args: string[], env: EnvVars, cwd = repoRoot): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { name, process: child, output };
}

async function run(
  name: string,
  command: string,
  args: string[],
  env: EnvVars,
  cwd = repoRoot,
): Promise<string> {
  const child = start(name, command, args, env, cwd);
  const code = await new Promise<number | null>((resolve) => child.process.on("exit", resolve));
  const output = child.output.join("");
  if (code !== 0) {
    // Build tools print the cause first and a long module list after it.
    const shown =
      output.length > 6000 ? `${output.slice(0, 3000)}\n…\n${output.slice(-2000)}` : output;
    throw new Error(`${name} exited with ${code}:\n${shown}`);
  }
  return output;
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.pid === undefined) return;
  const exited = new Promise((resolve) => child.process.on("exit", resolve));
  try {
    // The whole process group: pnpm → tsx → node.
    process.kill(-child.process.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = sleep(8_000).then(() => "timeout");
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.process.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function waitForHttp(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.process.exitCode !== null) {
      throw new Error(`${child.name} exited early:\n${child.output.join("").slice(-3000)}`);
    }
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs} ms${child ? `:\n${child.output.join("").slice(-3000)}` : ""}`,
  );
}

export interface RunningStack {
  info: StackInfo;
  stop: () => Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(`[stack] ${line}`));
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-web-e2e-"));
  await chmod(base, 0o777);
  const children: Child[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await rm(base, { recursive: true, force: true });
  };

  try {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(base, "pg"),
      port: await freePort(),
      database: "mad_e2e",
      ephemeral: true,
      // Even when this process is killed, its supervisor removes the whole stack's folder.
      removeOnExit: base,
    });
    cleanups.push(pg.stop);
    await runMigrations(pg.url);
    log(`postgres ready on port ${pg.port}`);

    const storageDir = path.join(base, "storage");
    await mkdir(storageDir, { recursive: true });
    const webPort = await freePort();
    const baseUrl = `http://127.0.0.1:${webPort}`;
    const secrets = { session: secret(), auth: secret(), storage: secret(), cluster: secret() };
    const sharedEnv: EnvVars = {
      DATABASE_URL: pg.url,
      STORAGE_BACKEND: "local",
      LOCAL_STORAGE_DIR: storageDir,
      STORAGE_SIGNING_SECRET: secrets.storage,
      STORAGE_BUCKET: "lora-models",
      PUBLIC_BASE_URL: baseUrl,
    };

    // The browser tests run against artifacts made by the real pipeline; if it breaks, they
    // fail here rather than quietly testing rows written some other way.
    let seededBy: StackInfo["seededBy"] = "fallback";
    if (options.seed === "pipeline") {
      await seedThroughPipeline({
        sharedEnv,
        databaseUrl: pg.url,
        clusterKey: secrets.cluster,
        children,
        log,
      });
      seededBy = "ingester";
    }
    if (seededBy === "fallback") {
      const client = createDb(pg.url, { max: 4, applicationName: "mad-e2e-seed" });
      try {
        const storage = createStorage({
          backend: "local",
          rootDir: storageDir,
          signingSecret: secrets.storage,
          publicBaseUrl: baseUrl,
          bucket: "lora-models",
        });
        await fallbackSeed({ client, storage, counts: options.fallbackCounts, withInFlight: true });
      } finally {
        await client.close();
      }
      log("FALLBACK seed written (rows + files through @mad/storage)");
    }

    const buildEntry = path.join(webDir, "build", "server", "index.js");
    if (!(options.reuseBuild && existsSync(buildEntry))) {
      log("building the web app (remix vite:build)…");
      await run(
        "remix vite:build",
        "pnpm",
        ["exec", "remix", "vite:build"],
        { NODE_ENV: "production" },
        webDir,
      );
    }
    const web = start(
      "web",
      process.execPath,
      ["server.js"],
      {
        ...sharedEnv,
        NODE_ENV: options.nodeEnv,
        PORT: String(webPort),
        HOST: "127.0.0.1",
        SESSION_SECRET: secrets.session,
        AUTH_JWT_SECRET: secrets.auth,
        ENABLE_DEV_LOGIN: options.enableDevLogin ? "true" : "false",
        ...options.webEnv,
      },
      webDir,
    );
    children.push(web);
    await waitForHttp(`${baseUrl}/healthz`, 60_000, web);
    log(`web app ready at ${baseUrl}`);

    return {
      info: {
        baseUrl,
        databaseUrl: pg.url,
        storageDir,
        sessionSecret: secrets.session,
        authJwtSecret: secrets.auth,
        storageSigningSecret: secrets.storage,
        seededBy,
        logDir: base,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seedThroughPipeline(args: {
  sharedEnv: EnvVars;
  databaseUrl: string;
  clusterKey: string;
  children: Child[];
  log: (line: string) => void;
}): Promise<void> {
  const { sharedEnv, clusterKey, children, log } = args;
  const seedScript = path.join(repoRoot, "apps", "ingester", "src", "seed.ts");
  if (!existsSync(seedScript)) throw new Error("apps/ingester has no seed script yet");

  const simPort = await freePort();
  const clusterUrl = `http://127.0.0.1:${simPort}`;
  const sim = start("gpu-cluster-sim", "pnpm", ["--filter", "@mad/gpu-cluster-sim", "start"], {
    GPU_CLUSTER_SIM_PORT: String(simPort),
    GPU_CLUSTER_SIM_HOST: "127.0.0.1",
    GPU_CLUSTER_API_KEY: clusterKey,
  });
  children.push(sim);
  await waitForHttp(`${clusterUrl}/`, 30_000, sim);
  log(`GPU-cluster simulator ready at ${clusterUrl}`);

  const pipelineEnv: EnvVars = {
    ...sharedEnv,
    GPU_CLUSTER_API_URL: clusterUrl,
    GPU_CLUSTER_API_KEY: clusterKey,
    LOG_LEVEL: "warn",
    INGEST_RETRY_LIMIT: "2",
    INGEST_RETRY_DELAY_SECONDS: "1",
    INGEST_RETRY_DELAY_MAX_SECONDS: "2",
    CLUSTER_RETRY_BASE_MS: "50",
    PGBOSS_MONITOR_INTERVAL_SECONDS: "2",
  };
  const ingester = start("ingester", "pnpm", ["--filter", "@mad/ingester", "start"], pipelineEnv);
  children.push(ingester);
  await run("ingester seed", "pnpm", ["--filter", "@mad/ingester", "seed"], pipelineEnv);
  log("seed done; waiting for the ingester to store the artifacts…");

  const client = createDb(args.databaseUrl, { max: 1, applicationName: "mad-e2e-wait" });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (ingester.process.exitCode !== null)
        throw new Error(`ingester exited:\n${ingester.output.join("").slice(-3000)}`);
      const [row] = await client.sql<{ waiting: number; stored: number }[]>`
        select
          (select count(*)::int from training_jobs j
            where j.status = 'completed' and j.external_job_id is not null
              and not exists (select 1 from model_artifacts a where a.job_id = j.id and a.status in ('stored', 'failed'))) as waiting,
          (select count(*)::int from model_artifacts where status = 'stored') as stored`;
      const adaStored = await client.sql<{ n: number }[]>`
        select count(*)::int as n from model_artifacts where status = 'stored' and user_id = ${DEMO_USERS[0].id}`;
      if (row && row.waiting === 0 && row.stored > 0 && (adaStored[0]?.n ?? 0) > 0) {
        log(`ingester stored ${row.stored} artifacts`);
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`ingester did not finish in time (${row?.waiting} jobs waiting)`);
      await sleep(500);
    }
  } finally {
    await client.close();
  }
}
