/**
 * The browser tests' and the benchmark's stacks: tooling/dev-stack's orchestrator (the run
 * command's) with throw-away data, free ports and the production build of the dashboard.
 */
import { createDb, DEMO_USERS } from "@mad/db";
import type { RunningStack, SeedFunction, StackAddresses, StackOptions } from "@mad/dev-stack";
import { type ArtifactStorage, createStorage } from "@mad/storage";

import { createInFlightModels, createStoredModels } from "../../app/testing/stored-models";

/** What the specs know about the stack (handed to Playwright's workers as JSON in E2E_STACK). */
export interface StackInfo {
  baseUrl: string;
  databaseUrl: string;
  storageDir: string;
  sessionSecret: string;
  authJwtSecret: string;
  storageSigningSecret: string;
  /** "ingester" when the real pipeline stored the artifacts, "factories" for factory-made rows. */
  seededBy: "ingester" | "factories" | null;
  /** The stack's throw-away folder (Postgres data, stored files, secrets). */
  dataDir: string;
}

export function stackInfoOf(stack: RunningStack): StackInfo {
  return {
    baseUrl: stack.webUrl,
    databaseUrl: stack.databaseUrl,
    storageDir: stack.storageDir,
    sessionSecret: stack.secrets.SESSION_SECRET,
    authJwtSecret: stack.secrets.AUTH_JWT_SECRET,
    storageSigningSecret: stack.secrets.STORAGE_SIGNING_SECRET,
    seededBy:
      stack.storedBy === "ingester"
        ? "ingester"
        : stack.storedBy === "seed function"
          ? "factories"
          : null,
    dataDir: stack.dataDir,
  };
}

/** The stack's local storage as its web app opens it, for seed functions to write files into. */
export function stackStorage(stack: StackAddresses): ArtifactStorage {
  return createStorage({
    backend: "local",
    rootDir: stack.storageDir,
    signingSecret: stack.secrets.STORAGE_SIGNING_SECRET,
    publicBaseUrl: stack.webUrl,
    bucket: stack.storageBucket,
  });
}

/**
 * Stored artifacts made by the lifecycle's factories (rows, loss curves, files through
 * @mad/storage; app/testing/stored-models.ts), plus one processing and one failed model for Ada.
 */
export function factoryRows(counts = { ada: 15, grace: 3 }): SeedFunction {
  return async (stack) => {
    const client = createDb(stack.databaseUrl, { max: 4, applicationName: "mad-factory-seed" });
    try {
      const storage = stackStorage(stack);
      const [ada, grace] = DEMO_USERS;
      await createStoredModels(client, storage, { userId: ada.id, count: counts.ada });
      await createStoredModels(client, storage, { userId: grace.id, count: counts.grace });
      await createInFlightModels(client, ada.id);
    } finally {
      await client.close();
    }
  };
}

const throwaway = {
  throwaway: true,
  ports: "free",
  webHost: "127.0.0.1",
} as const satisfies StackOptions;

/**
 * The browser tests run against artifacts made by the real pipeline (simulator → ingester), with
 * short retry delays; if it breaks, start-up fails rather than quietly testing other rows.
 * NODE_ENV is "test", not "production": the development login must exist so the login flow
 * itself is tested. The client bundle is the production build either way.
 */
export function e2eStackOptions(options: {
  reuseBuild: boolean;
  factories?: boolean;
  log: (line: string) => void;
}): StackOptions {
  return {
    ...throwaway,
    nodeEnv: "test",
    devLogin: true,
    reuseBuild: options.reuseBuild,
    seed: options.factories ? factoryRows() : "pipeline",
    awaitIngestion: true,
    ingesterEnv: {
      LOG_LEVEL: "warn",
      INGEST_RETRY_LIMIT: "2",
      INGEST_RETRY_DELAY_SECONDS: "1",
      INGEST_RETRY_DELAY_MAX_SECONDS: "2",
      CLUSTER_RETRY_BASE_MS: "50",
      PGBOSS_MONITOR_INTERVAL_SECONDS: "2",
    },
    log: options.log,
  };
}

/**
 * The benchmark measures rendering with a known data size: factory-made rows (40 models for
 * Ada, 5 for Grace), a production server, no development login, no pipeline running beside it.
 */
export function benchStackOptions(options: {
  reuseBuild: boolean;
  webEnv: Record<string, string>;
}): StackOptions {
  return {
    ...throwaway,
    nodeEnv: "production",
    devLogin: false,
    reuseBuild: options.reuseBuild,
    seed: factoryRows({ ada: 40, grace: 5 }),
    webEnv: options.webEnv,
    log: (line) => console.error(`[stack] ${line}`),
  };
}
