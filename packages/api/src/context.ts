import { randomUUID } from "node:crypto";

import type { ArtifactEventHub, Database } from "@mad/db";
import { createLogger } from "@mad/logger";
import type { ArtifactStorage } from "@mad/storage";
import type { UrlPolicy } from "@mad/webhooks";

import type { Auth } from "./auth";

/** Structured logger (pino-compatible call shape): details first, then the message. */
export interface ApiLogger {
  error(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** Where the host serves model bundles (one ZIP per model) and the key of their URLs. */
export interface BundleConfig {
  /** HS256 key of the bundle URLs' tokens (at least 32 characters); the host's handler uses it too. */
  signingSecret: string;
  /** Origin the host serves `/bundles/{artifactId}/{name}.zip` under. */
  baseUrl: string;
}

/** What the API needs from its host (the web app, a test, the benchmark). */
export interface ApiDeps {
  db: Database;
  storage: ArtifactStorage;
  auth: Auth;
  logger?: ApiLogger;
  /** Without it, models.bundle answers that bundles are not offered here. */
  bundles?: BundleConfig;
  /** Clock for timestamps written by the API (deleted_at, read_at…); injectable for tests. */
  now?: () => Date;
  /** Counts what operators watch (the host exports it, e.g. as Prometheus metrics). */
  metrics?: ApiMetrics;
  /** Without it, models.events answers that live events are not offered here. */
  events?: ArtifactEventSource;
  /** Which webhook endpoint URLs may be registered; without it, https to public addresses only. */
  webhookUrlPolicy?: UrlPolicy;
}

/** Where models.events reads a user's live events (the host's LISTEN connection, @mad/db). */
export type ArtifactEventSource = Pick<ArtifactEventHub, "subscribe">;

export interface ApiMetrics {
  signedUrlsIssued(count: number): void;
}

/**
 * How the caller proved who they are: a Bearer token (other apps), the web app's session cookie
 * (browsers, so CSRF-prone), or an in-process call from the web app's own server code.
 */
export type AuthSource = "bearer" | "cookie" | "server";

export interface Context {
  db: Database;
  storage: ArtifactStorage;
  logger: ApiLogger;
  bundles: BundleConfig | null;
  now: () => Date;
  metrics: ApiMetrics | null;
  events: ArtifactEventSource | null;
  webhookUrlPolicy: UrlPolicy;
  userId: string | null;
  authSource: AuthSource | null;
  /** False for a browser request that came from another site (checked for cookie mutations). */
  sameOrigin: boolean;
  requestId: string;
}

/** The context inside a protected procedure: the caller is a verified user. */
export type AuthenticatedContext = Context & { userId: string };

/** Used when the host passes no logger: the same structured (pino) lines as the rest. */
export const defaultApiLogger: ApiLogger = createLogger({ name: "api" });

export interface ContextIdentity {
  userId: string | null;
  authSource: AuthSource | null;
  sameOrigin?: boolean;
  requestId?: string;
}

export function createContext(deps: ApiDeps, identity: ContextIdentity): Context {
  return {
    db: deps.db,
    storage: deps.storage,
    logger: deps.logger ?? defaultApiLogger,
    bundles: deps.bundles ?? null,
    now: deps.now ?? (() => new Date()),
    metrics: deps.metrics ?? null,
    events: deps.events ?? null,
    webhookUrlPolicy: deps.webhookUrlPolicy ?? { allowHttp: false, allowPrivate: false },
    userId: identity.userId,
    authSource: identity.userId ? identity.authSource : null,
    sameOrigin: identity.sameOrigin ?? true,
    requestId: identity.requestId ?? randomUUID(),
  };
}
