/**
 * Route-test harness: a real test database (cloned template), real local storage in a temp dir
 * and the real server context, installed as the process singleton. Requests are real `Request`
 * objects; the session cookie is made by the real session storage.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

import { DEMO_USERS } from "@mad/db";
import { createTestDatabase, type TestDatabase } from "@mad/db/testing";
// Brings in the typing of what the global setup provides (pgAdminUrl, pgTemplateDatabase).
import type {} from "@mad/db/testing/global-setup";

import { readWebEnv } from "../env.server";
import {
  createServerContext,
  type ServerContext,
  setServerContext,
} from "../server/context.server";

export const ORIGIN = "http://localhost:3000";
export const [ADA, GRACE, LINUS] = DEMO_USERS;

export interface Harness {
  db: TestDatabase;
  context: ServerContext;
  storageDir: string;
  cookieFor: (userId: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function createHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const storageDir = await mkdtemp(path.join(os.tmpdir(), "mad-web-test-"));
  const env = readWebEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    LOCAL_STORAGE_DIR: storageDir,
    STORAGE_SIGNING_SECRET: "test-storage-signing-secret-0123456789abcdef",
    AUTH_JWT_SECRET: "test-auth-jwt-secret-0123456789abcdef-0123",
    SESSION_SECRET: "test-session-secret-0123456789abcdef-01234",
    PUBLIC_BASE_URL: ORIGIN,
    ENABLE_DEV_LOGIN: "true",
    ...overrides,
  });
  const context = await createServerContext(env, { db });
  setServerContext(context);
  return {
    db,
    context,
    storageDir,
    cookieFor: async (userId) => {
      const session = await context.sessionStorage.getSession();
      session.set("accessToken", await context.auth.mintAccessToken(userId));
      const setCookie = await context.sessionStorage.commitSession(session);
      return setCookie.split(";")[0]!;
    },
    close: async () => {
      setServerContext(null);
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

/**
 * A harness made before this file's tests and closed after them: one for the whole file, or
 * (`"each"`) a fresh one per test, for tests that break its database or storage. Call it at the
 * file's top level; the returned function gives the current harness inside tests and hooks
 * registered after it.
 */
export function useHarness(lifetime: "file" | "each" = "file"): () => Harness {
  let harness: Harness | undefined;
  const [before, after] = lifetime === "file" ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    harness = await createHarness();
  });
  after(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness)
      throw new Error("useHarness: the harness is made in a before hook; use it in tests");
    return harness;
  };
}

export function get(pathAndQuery: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${pathAndQuery}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(
  pathAndQuery: string,
  form: Record<string, string>,
  options: { cookie?: string; origin?: string | null } = {},
): Request {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.cookie) headers.Cookie = options.cookie;
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin !== null) headers.Origin = origin;
  return new Request(`${ORIGIN}${pathAndQuery}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(form),
  });
}

/** What a loader threw or returned, as status + body, whatever Remix helper made it. */
export async function outcome(
  run: () => Promise<unknown>,
): Promise<{ status: number; location: string | null; data: unknown; headers: Headers }> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
    if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown;
  }
  if (value instanceof Response) {
    const text = await value.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text
    }
    return {
      status: value.status,
      location: value.headers.get("Location"),
      data: body,
      headers: value.headers,
    };
  }
  if (isDataWithInit(value)) {
    return {
      status: value.init?.status ?? 200,
      location: null,
      data: value.data,
      headers: new Headers(value.init?.headers),
    };
  }
  return { status: 200, location: null, data: value, headers: new Headers() };
}

interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

export const loaderArgs = (request: Request, params: Record<string, string> = {}) => ({
  request,
  params,
  context: {},
});
