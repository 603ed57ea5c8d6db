/**
 * Shared set-up of the ingester's tests: a fresh migrated database, the real GPU-cluster
 * simulator, real local storage in a temp dir, and an in-process ingester whose JSON log lines
 * are captured. Not exported from the package.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Dirent } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";

import {
  type Database,
  DEMO_USERS,
  type ModelArtifact,
  modelArtifacts,
  trainingJobs,
} from "@mad/db";
import {
  insertDataset,
  insertMetricsPoints,
  insertTrainingJob,
  lossCurve,
  type LossCurveKind,
} from "@mad/db/factories";
import { createTestDatabase, type TestDatabase } from "@mad/db/testing";
// The global setup declares the values it provides to tests (vitest ProvidedContext).
import type {} from "@mad/db/testing/global-setup";
import { type GpuClusterSim, type JobSpecInput, startGpuClusterSim } from "@mad/gpu-cluster-sim";
import { createLogger } from "@mad/logger";
import { type ArtifactStorage, createStorage } from "@mad/storage";

import { createClusterClient } from "../cluster";
import { type Ingester, type IngesterOptions, startIngester } from "../queue/worker";
import { productionStartSettings } from "./start-settings";

export const TEST_API_KEY = "sim-key-0123456789-abcdefghijklmnop-SECRET";
export const USER_ID = DEMO_USERS[0].id;

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    callback();
  }
  text(): string {
    return this.lines.join("\n");
  }
}

export interface TestWorld {
  database: TestDatabase;
  sim: GpuClusterSim;
  storage: ArtifactStorage;
  storageRoot: string;
  logs: LogCapture;
  startIngester(overrides?: Partial<IngesterOptions>): Promise<Ingester>;
  close(): Promise<void>;
}

export async function createTestWorld(
  options: { storage?: ArtifactStorage } = {},
): Promise<TestWorld> {
  const database = await createTestDatabase();
  const sim = await startGpuClusterSim({ port: 0, apiKey: TEST_API_KEY });
  const storageRoot = await mkdtemp(path.join(os.tmpdir(), "mad-ingester-storage-"));
  const storage =
    options.storage ??
    createStorage({
      backend: "local",
      rootDir: storageRoot,
      signingSecret: "x".repeat(40),
      publicBaseUrl: "http://localhost:3000",
    });
  const logs = new LogCapture();
  const ingesters: Ingester[] = [];
  return {
    database,
    sim,
    storage,
    storageRoot,
    logs,
    async startIngester(overrides = {}) {
      const ingester = await startIngester({
        databaseUrl: database.url,
        storage,
        cluster: createClusterClient({
          baseUrl: sim.url,
          apiKey: TEST_API_KEY,
          requestTimeoutMs: 2_000,
          idleTimeoutMs: 2_000,
          retries: 2,
          retryBaseDelayMs: 10,
          retryMaxDelayMs: 50,
          notReadyWindowMs: 1_500,
          notReadyMaxDelayMs: 100,
        }),
        logger: createLogger({ name: "ingester", destination: logs, level: "debug" }),
        concurrency: 4,
        retryLimit: 2,
        retryDelaySeconds: 0,
        heartbeatSeconds: 10,
        expireInSeconds: 120,
        monitorIntervalSeconds: 1,
        pollingIntervalSeconds: 0.5,
        fileRetries: 2,
        progressIntervalMs: 50,
        schedule: false,
        ...overrides,
      });
      ingesters.push(ingester);
      return ingester;
    },
    async close() {
      for (const ingester of ingesters) await ingester.stop(5);
      await sim.close();
      await database.drop();
      await rm(storageRoot, { recursive: true, force: true });
    },
  };
}

export interface SharedTestWorld extends TestWorld {
  /** The ingester started for the file's tests. */
  readonly ingester: Ingester;
}

/**
 * One world for all of a test file's tests: created with one ingester running before them,
 * closed after them (DUMP_LOGS=1 prints the ingester's log first). The handle may be taken at
 * the top of the file, like @mad/db's useTestDatabase; using it before `beforeAll` is an error.
 */
export function useTestWorld(
  options: {
    /** Storage instead of the local default, made when the world is (e.g. for a stand-in). */
    storage?: () => ArtifactStorage | Promise<ArtifactStorage>;
    ingester?: Partial<IngesterOptions>;
  } = {},
): SharedTestWorld {
  let world: TestWorld | null = null;
  let current: SharedTestWorld | null = null;
  beforeAll(async () => {
    world = await createTestWorld(options.storage ? { storage: await options.storage() } : {});
    current = { ...world, ingester: await world.startIngester(options.ingester) };
  });
  afterAll(async () => {
    if (process.env.DUMP_LOGS) console.log(world?.logs.text());
    // The world, not `current`: a world whose ingester failed to start is closed too.
    await world?.close();
    world = current = null;
  });
  return new Proxy({} as SharedTestWorld, {
    get(_target, key) {
      if (!current) throw new Error("the test world exists only while the file's tests run");
      return Reflect.get(current, key) as unknown;
    },
  });
}

export interface CompletedJobOptions {
  userId?: string;
  datasetName?: string;
  datasetId?: string;
  externalJobId?: string;
  spec?: JobSpecInput;
  curve?: LossCurveKind;
  seed?: number;
  /** Leave the job running (the caller completes it). */
  complete?: boolean;
  sim?: GpuClusterSim;
  completedAt?: Date;
}

let counter = 0;

/** A dataset + running job with a loss curve, registered with the simulator, then completed. */
export async function createJob(db: Database, options: CompletedJobOptions = {}) {
  const userId = options.userId ?? USER_ID;
  counter += 1;
  const datasetId =
    options.datasetId ??
    (
      await insertDataset(db, {
        userId,
        name: options.datasetName ?? `Support tickets v${counter}`,
      })
    ).id;
  const externalJobId =
    options.externalJobId ??
    `ext-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  options.sim?.registerJob(externalJobId, { adapterSizeBytes: 4096, ...options.spec });
  const job = await insertTrainingJob(db, { userId, datasetId, externalJobId, status: "running" });
  if (options.curve)
    await insertMetricsPoints(
      db,
      job.id,
      lossCurve({ kind: options.curve, steps: 60, seed: options.seed ?? counter }),
    );
  if (options.complete ?? true) await completeJob(db, job.id, options.completedAt);
  return { ...job, datasetId, externalJobId };
}

export async function completeJob(
  db: Database,
  jobId: string,
  completedAt = new Date("2026-11-23T10:00:00Z"),
) {
  await db
    .update(trainingJobs)
    .set({ status: "completed", completedAt })
    .where(eq(trainingJobs.id, jobId));
}

/** The artifact row of the job, once it has one. */
export async function artifactOfJob(db: Database, jobId: string) {
  const [row] = await db.select().from(modelArtifacts).where(eq(modelArtifacts.jobId, jobId));
  return row;
}

/** Polls until the job has an artifact for which `ready` holds, and returns that row. */
export function waitForArtifact(
  db: Database,
  jobId: string,
  ready: (artifact: ModelArtifact) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<ModelArtifact> {
  return waitFor(
    async () => {
      const row = await artifactOfJob(db, jobId);
      return row && ready(row) ? row : null;
    },
    what,
    timeoutMs,
  );
}

/** A completed job of `spec` in the world, once the running ingester has stored its artifact. */
export async function storedArtifactOf(world: TestWorld, spec: JobSpecInput) {
  const job = await createJob(world.database.db, { sim: world.sim, curve: "good", spec });
  return waitForArtifact(
    world.database.db,
    job.id,
    (row) => row.status === "stored",
    `artifact of ${job.id} to be stored`,
  );
}

/** Polls until `check` returns a value (tests only; the product itself never polls). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Every object path under the storage root (relative, with the bucket). Tests running at the
 * same time remove their folders; a folder that vanishes mid-walk means "walk again".
 */
export async function allStoredFiles(root: string): Promise<string[]> {
  let entries: Dirent[] | undefined;
  for (let attempt = 0; entries === undefined; attempt++) {
    try {
      entries = await readdir(root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 20) throw error;
    }
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

const packageDir = path.resolve(import.meta.dirname, "../..");

export interface IngesterProcess {
  child: ChildProcess;
  /** JSON log lines (stdout) and anything on stderr. */
  output: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` as a separate process (one Node process: tsx as an import hook). */
export function spawnIngester(env: Record<string, string>): IngesterProcess {
  // The same Node flags and memory settings as production.
  const settings = productionStartSettings();
  const child = spawn(process.execPath, [...settings.nodeFlags, "--import", "tsx", "src/main.ts"], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...settings.env,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      output.push(line);
      if (line.includes('"msg":"ingester ready"')) resolveReady();
    }
  });
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      rejectReady(
        new Error(`ingester exited (${code}) before it was ready:\n${output.join("\n")}`),
      );
      resolve(code);
    });
  });
  return { child, output, ready, exited };
}

export function ingesterEnv(
  world: TestWorld,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: world.database.url,
    GPU_CLUSTER_API_URL: world.sim.url,
    GPU_CLUSTER_API_KEY: TEST_API_KEY,
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: world.storageRoot,
    STORAGE_SIGNING_SECRET: "s".repeat(40),
    LOG_LEVEL: "info",
    INGESTER_CONCURRENCY: "4",
    INGEST_RETRY_LIMIT: "3",
    INGEST_RETRY_DELAY_SECONDS: "0",
    INGEST_HEARTBEAT_SECONDS: "10",
    INGEST_EXPIRE_SECONDS: "300",
    PGBOSS_MONITOR_INTERVAL_SECONDS: "1",
    CLUSTER_RETRY_BASE_MS: "10",
    SHUTDOWN_GRACE_SECONDS: "5",
    ...extra,
  };
}
