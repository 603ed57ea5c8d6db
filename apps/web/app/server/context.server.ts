/**
 * Everything the server needs, built once per process: env, database pool, storage, the API's
 * dependencies and auth, the session cookie. Route modules reach it through `getServerContext()`;
 * tests (and the e2e/bench harnesses) build their own with `createServerContext(env)` against a
 * real test database and install it with `setServerContext()`.
 */
import { hkdfSync } from "node:crypto";

import { type Cookie, createCookie, type SessionStorage } from "@remix-run/node";

import {
  type ApiDeps,
  type Auth,
  createApiHandler,
  createAuth,
  createBundleHandler,
  createServerCaller,
  type ServerCaller,
} from "@mad/api";
import {
  type ArtifactEventHub,
  assertPoolMode,
  createArtifactEventHub,
  createDb,
  type DbClient,
  resolveDatabase,
} from "@mad/db";
import {
  type ArtifactStorage,
  createLocalDownloadHandler,
  createStorage,
  storageConfigFromEnv,
} from "@mad/storage";
import { webhookUrlPolicyOf } from "@mad/webhooks";

import { defaultLocalStorageDir, devLoginEnabled, readWebEnv, type WebEnv } from "../env.server";
import { logger } from "./logger.server";
import { apiMetrics } from "./metrics.server";
import { createSessionStorage, type SessionData } from "./session-storage.server";

export type { SessionData };

export type { ServerCaller };

export interface ServerContext {
  env: WebEnv;
  db: DbClient;
  storage: ArtifactStorage;
  /** Live events (models.events); null when no session connection is configured for LISTEN. */
  events: ArtifactEventHub | null;
  auth: Auth;
  apiDeps: ApiDeps;
  sessionStorage: SessionStorage<SessionData>;
  /** One-time messages after an action ("Deleted …"); separate so pages need not parse the session for it. */
  flashCookie: Cookie;
  devLoginEnabled: boolean;
  /** The tRPC fetch handler for `/api/trpc/*` (other apps, Bearer tokens). */
  handleTrpc: (request: Request) => Promise<Response>;
  /** Signed whole-model ZIP downloads (`/bundles/{artifactId}/{name}.zip?token=…`). */
  handleBundle: (request: Request, artifactId: string) => Promise<Response>;
  /** Local-disk signed downloads (`/storage/v1/object/sign/*`); null with Supabase storage. */
  handleLocalDownload: ((request: Request) => Promise<Response>) | null;
  callerFor: (userId: string, requestId?: string) => ServerCaller;
  close: () => Promise<void>;
}

export interface CreateServerContextOptions {
  /** An existing pool (tests); otherwise DATABASE_URL or an embedded Postgres. */
  db?: DbClient;
  /** With `db`: a URL to LISTEN on for live events (tests); without it they are off. */
  eventsUrl?: string;
}

export async function createServerContext(
  env: WebEnv,
  options: CreateServerContextOptions = {},
): Promise<ServerContext> {
  let db = options.db;
  let stopDatabase = async () => {};
  let eventsUrl = options.eventsUrl ?? null;
  if (!db) {
    // A transaction pooler configured as a session would break the prepared list queries
    // (resolveDatabase checks its own URL; the embedded Postgres is never pooled).
    if (env.DATABASE_URL) await assertPoolMode(env.DATABASE_URL, env.DATABASE_POOL_MODE);
    const resolved = env.DATABASE_URL
      ? { url: env.DATABASE_URL, poolMode: env.DATABASE_POOL_MODE, stop: async () => {} }
      : await resolveDatabase();
    db = createDb(resolved.url, {
      max: 10,
      applicationName: "mad-web",
      poolMode: resolved.poolMode,
    });
    stopDatabase = resolved.stop;
    // LISTEN holds a session, which a transaction pooler cannot give (decision 0009).
    eventsUrl =
      resolved.poolMode === "transaction" ? (env.DATABASE_DIRECT_URL ?? null) : resolved.url;
    if (eventsUrl === null) {
      logger.warn(
        "live events are off: DATABASE_POOL_MODE=transaction needs DATABASE_DIRECT_URL (a direct or session-mode connection) for LISTEN; pages fall back to polling",
      );
    }
  }
  const eventsConnection = eventsUrl
    ? createDb(eventsUrl, { max: 1, applicationName: "mad-web-events" })
    : null;
  const events = eventsConnection ? await createArtifactEventHub(eventsConnection.sql) : null;

  const localStorageDir = defaultLocalStorageDir(env);
  const storageConfig = storageConfigFromEnv(env, {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    defaultLocalDir: localStorageDir,
  });
  const storage = createStorage(storageConfig);

  // A wrong Supabase key or bucket would fail silently (see @mad/storage's verifyAccess).
  await storage.verifyAccess();

  const auth = createAuth({
    jwtSecret: env.AUTH_JWT_SECRET,
    audience: env.AUTH_JWT_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL,
  });
  const bundleSigningSecret = bundleSecretFrom(env.SESSION_SECRET);
  const apiDeps: ApiDeps = {
    db: db.db,
    storage,
    auth,
    logger,
    metrics: apiMetrics,
    bundles: { signingSecret: bundleSigningSecret, baseUrl: env.PUBLIC_BASE_URL },
    webhookUrlPolicy: webhookUrlPolicyOf(env),
    ...(events ? { events } : {}),
  };
  const bundleHandler = createBundleHandler({
    db: db.db,
    storage,
    logger,
    signingSecret: bundleSigningSecret,
  });

  const sessionStorage = createSessionStorage({
    secret: env.SESSION_SECRET,
    secure: env.NODE_ENV === "production",
  });

  const flashCookie = createCookie("__mad_flash", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    path: "/",
    secrets: [env.SESSION_SECRET],
    maxAge: 60,
  });

  const trpcHandler = createApiHandler({
    ...apiDeps,
    // Browser calls to /api/trpc ride on the dashboard's session cookie.
    getSessionToken: async (request) =>
      (await sessionStorage.getSession(request.headers.get("Cookie"))).get("accessToken"),
    trustedOrigins: [new URL(env.PUBLIC_BASE_URL).origin],
  });
  // Serves what the local backend signs, with its secret.
  const localDownload =
    storageConfig.backend === "local"
      ? createLocalDownloadHandler({
          rootDir: localStorageDir,
          signingSecret: storageConfig.signingSecret,
        })
      : null;

  const client = db;
  return {
    env,
    db: client,
    storage,
    events,
    auth,
    apiDeps,
    sessionStorage,
    flashCookie,
    devLoginEnabled: devLoginEnabled(env),
    handleTrpc: (request) => trpcHandler(request),
    handleBundle: (request, artifactId) => bundleHandler(request, artifactId),
    handleLocalDownload: localDownload ? (request) => localDownload(request) : null,
    callerFor: (userId, requestId) => createServerCaller(apiDeps, { userId, requestId }),
    close: async () => {
      await events?.close();
      await eventsConnection?.close();
      if (!options.db) await client.close();
      await stopDatabase();
    },
  };
}

/**
 * The bundle URLs' key, derived from the session secret (HKDF, its own label) so a deployment
 * needs no new secret and a token of one kind is never valid as the other.
 */
function bundleSecretFrom(sessionSecret: string): string {
  return Buffer.from(
    hkdfSync("sha256", sessionSecret, "mad-web", "model bundle download URLs v1", 32),
  ).toString("base64url");
}

let current: Promise<ServerContext> | null = null;

/** The process-wide context; built from the environment on first use unless one was installed. */
export function getServerContext(): Promise<ServerContext> {
  current ??= (async () => createServerContext(readWebEnv()))().catch((error: unknown) => {
    current = null;
    throw error;
  });
  return current;
}

/** Installs a context (tests, harnesses). Pass null to forget it. */
export function setServerContext(context: ServerContext | null): void {
  current = context ? Promise.resolve(context) : null;
}
