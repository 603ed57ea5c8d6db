/**
 * One test file's world: a fresh database, local storage in a temp dir, an auth with a random
 * secret, a controllable clock, a captured log, and a real HTTP server that mounts the API at
 * /api/trpc and the local download handler at /storage/v1/object/sign/.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { type ArtifactEventHub, createArtifactEventHub, createDb } from "@mad/db";
import { createTestDatabase, type TestDatabase } from "@mad/db/testing";
// Brings in the `inject("pgAdminUrl")` typing that @mad/db declares next to its global setup.
import type {} from "@mad/db/testing/global-setup";
import { type ArtifactStorage, createLocalDownloadHandler, createLocalStorage } from "@mad/storage";

import { type Auth, createAuth } from "../auth";
import { createBundleHandler } from "../bundle";
import type { ApiDeps, ApiLogger } from "../context";
import { type ApiHandlerDeps, createApiHandler } from "../http";
import { createServerCaller } from "../root";
import { type FetchHandler, type RunningServer, serveFetch } from "./http-server";

export interface TestClock {
  now: () => Date;
  set: (date: Date) => void;
  advance: (milliseconds: number) => void;
}

export function testClock(start = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}

export interface LogEntry {
  level: "error" | "warn";
  details: Record<string, unknown>;
  message: string;
}

export interface ApiTestEnv {
  database: TestDatabase;
  storage: ArtifactStorage;
  auth: Auth;
  jwtSecret: string;
  clock: TestClock;
  logs: LogEntry[];
  logger: ApiLogger;
  deps: ApiDeps;
  server: RunningServer;
  /** The event hub behind models.events (with `events: true`), else null. */
  events: ArtifactEventHub | null;
  /** The local storage's folder (objects at `{storageRoot}/lora-models/{path}`). */
  storageRoot: string;
  /** The in-process caller for `userId` (null: anonymous). */
  caller: (userId: string | null) => ReturnType<typeof createServerCaller>;
  cleanup: () => Promise<void>;
}

export interface ApiTestEnvOptions {
  /** Wraps the storage's download handler (to slow it down, count or refuse requests). */
  wrapDownload?: (handler: FetchHandler) => FetchHandler;
  /** Live events for models.events: a LISTEN connection of its own, as a host would have. */
  events?: boolean;
}

export async function createApiTestEnv(
  handlerOptions: Partial<ApiHandlerDeps> = {},
  envOptions: ApiTestEnvOptions = {},
): Promise<ApiTestEnv> {
  const database = await createTestDatabase();
  const rootDir = await mkdtemp(path.join(os.tmpdir(), "mad-api-storage-"));
  const signingSecret = randomBytes(32).toString("hex");
  const jwtSecret = randomBytes(32).toString("hex");
  const clock = testClock();
  const logs: LogEntry[] = [];
  const logger: ApiLogger = {
    error: (details, message) => logs.push({ level: "error", details, message }),
    warn: (details, message) => logs.push({ level: "warn", details, message }),
  };
  const auth = createAuth({ jwtSecret, now: clock.now });

  let handler: ((request: Request) => Promise<Response>) | null = null;
  let bundleHandler: ((request: Request, artifactId: string) => Promise<Response>) | null = null;
  const bundleSigningSecret = randomBytes(32).toString("hex");
  const plainDownload = createLocalDownloadHandler({ rootDir, signingSecret, now: clock.now });
  const download = envOptions.wrapDownload?.(plainDownload) ?? plainDownload;
  const server = await serveFetch((pathname) => {
    if (pathname.startsWith("/storage/v1/object/sign/")) return download;
    if (pathname.startsWith("/api/trpc")) return handler;
    const bundle = /^\/bundles\/([^/]+)\//.exec(pathname);
    if (bundle && bundleHandler) {
      const serve = bundleHandler;
      return (request) => serve(request, bundle[1]!);
    }
    return null;
  });
  const storage = createLocalStorage({
    rootDir,
    signingSecret,
    publicBaseUrl: server.url,
    bucket: "lora-models",
    now: clock.now,
  });
  const listener = envOptions.events
    ? createDb(database.url, { max: 1, applicationName: "mad-test-events" })
    : null;
  const events = listener ? await createArtifactEventHub(listener.sql) : null;
  const deps: ApiDeps = {
    db: database.db,
    storage,
    auth,
    logger,
    now: clock.now,
    bundles: { signingSecret: bundleSigningSecret, baseUrl: server.url },
    ...(events ? { events } : {}),
  };
  handler = createApiHandler({ ...deps, ...handlerOptions });
  bundleHandler = createBundleHandler({
    db: database.db,
    storage,
    logger,
    now: clock.now,
    signingSecret: bundleSigningSecret,
  });

  return {
    database,
    storage,
    auth,
    jwtSecret,
    clock,
    logs,
    logger,
    deps,
    server,
    events,
    storageRoot: rootDir,
    caller: (userId) => createServerCaller(deps, { userId }),
    cleanup: async () => {
      await server.close();
      await events?.close();
      await listener?.close();
      await database.drop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

/**
 * The test file's env, created before its first test and cleaned up after its last: the object
 * is returned at once and filled in by `beforeAll`, so tests use it as they would the result.
 */
export function useApiTestEnv(
  handlerOptions: Partial<ApiHandlerDeps> = {},
  envOptions: ApiTestEnvOptions = {},
): ApiTestEnv {
  const env = {} as ApiTestEnv;
  beforeAll(async () => {
    Object.assign(env, await createApiTestEnv(handlerOptions, envOptions));
  });
  afterAll(async () => {
    await env.cleanup();
  });
  return env;
}

/** The TRPCError code and message a call ends with (or "OK"). */
export async function outcome(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await promise;
    return { code: "OK", message: "" };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return { code: code ?? "THROWN", message: message ?? String(error) };
  }
}
