/**
 * The HTTP endpoint (`/api/trpc`) for other apps (Bearer tokens) and the browser (the web app's
 * session cookie, which it turns into an access token through `getSessionToken`).
 */
import { randomUUID } from "node:crypto";

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { type ApiDeps, type AuthSource, createContext, defaultApiLogger } from "./context";
import { isSameOriginRequest } from "./csrf";
import { appRouter } from "./root";

export const API_ENDPOINT = "/api/trpc";
/** Calls per batched HTTP request; the typed client batches at most this many. */
export const MAX_BATCH_SIZE = 25;

export interface ApiHandlerDeps extends ApiDeps {
  /**
   * The access token of the request's session cookie, if any (the web app decodes its cookie).
   * Used only when the request has no Authorization header.
   */
  getSessionToken?: (
    request: Request,
  ) => string | null | undefined | Promise<string | null | undefined>;
  /** Path the handler is mounted at; default `/api/trpc`. */
  endpoint?: string;
  /**
   * Origins besides the request's own that may send cookie-authenticated mutations (e.g. the
   * public origin when a proxy rewrites the Host). The rule itself is in ./csrf.
   */
  trustedOrigins?: string[];
}

function bearerToken(request: Request): string | null | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const [, token] = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) ?? [];
  return token ?? null;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function createApiHandler(deps: ApiHandlerDeps): (request: Request) => Promise<Response> {
  const logger = deps.logger ?? defaultApiLogger;
  const endpoint = deps.endpoint ?? API_ENDPOINT;
  const trustedOrigins = deps.trustedOrigins ?? [];

  async function identify(
    request: Request,
  ): Promise<{ userId: string | null; authSource: AuthSource | null }> {
    const bearer = bearerToken(request);
    if (bearer !== undefined) {
      // An Authorization header decides alone: a bad one is not rescued by a cookie.
      const user = bearer ? await deps.auth.verifyAccessToken(bearer) : null;
      return { userId: user?.userId ?? null, authSource: "bearer" };
    }
    if (!deps.getSessionToken) return { userId: null, authSource: null };
    const token = await deps.getSessionToken(request);
    if (!token) return { userId: null, authSource: null };
    const user = await deps.auth.verifyAccessToken(token);
    return { userId: user?.userId ?? null, authSource: "cookie" };
  }

  return async (request) => {
    const incomingId = request.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    return fetchRequestHandler({
      endpoint,
      req: request,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: async () => {
        let identity: { userId: string | null; authSource: AuthSource | null } = {
          userId: null,
          authSource: null,
        };
        try {
          identity = await identify(request);
        } catch (error) {
          // A broken session reader must not turn into a 500: the caller is simply anonymous.
          logger.error({ requestId, err: error }, "could not read the request's session");
        }
        return createContext(deps, {
          ...identity,
          sameOrigin: isSameOriginRequest(request, trustedOrigins),
          requestId,
        });
      },
      onError: ({ error, path }) => {
        // Procedures log their own internal errors; this catches failures around them.
        if (
          error.code === "INTERNAL_SERVER_ERROR" &&
          !error.message.startsWith("Internal error (request id")
        ) {
          logger.error({ requestId, path, err: error.cause ?? error }, "request failed");
        }
      },
      responseMeta: () => ({ headers: { "x-request-id": requestId, "cache-control": "no-store" } }),
    });
  };
}
