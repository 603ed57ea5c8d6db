/**
 * server.js's cross-site guard for the dashboard's form posts, ahead of Remix. Remix has an
 * Origin-vs-Host check of its own that throws (an empty 500 and a stack trace in the log for
 * every cross-site post) and that is wrong behind a proxy that rewrites `Host`. This applies the
 * product's one rule (@mad/api/csrf, docs/decisions/0014-csrf.md) first: a refused post gets a 403
 * that says why and one log line; an accepted one is passed on so that Remix's check agrees.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import {
  CROSS_SITE_REFUSAL_MESSAGE,
  isSameOriginRequest,
  isStateChangingMethod,
} from "@mad/api/csrf";

import type { NodeMiddleware } from "./body-limit.server";

export interface CrossSiteGuardOptions {
  /** The dashboard's public origin (PUBLIC_BASE_URL), trusted besides the request's own. */
  publicOrigin: string | null;
  /** tRPC decides per call (only cookie-authenticated mutations must be same-origin). */
  exemptPathPrefixes?: readonly string[];
  /** Told of each refusal (with the response, so a request log can carry it in its one line). */
  onRefused: (
    details: { method: string; path: string; origin: string | null },
    response: ServerResponse,
  ) => void;
}

/** A Node request seen through the interface the rule reads (URL from the Host it was sent to). */
export function originCheckView(request: IncomingMessage) {
  const host = request.headers.host ?? "invalid.invalid";
  return {
    url: `http://${host}${request.url ?? "/"}`,
    headers: {
      get: (name: string) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
      },
    },
  };
}

export function refuseCrossSitePosts(options: CrossSiteGuardOptions): NodeMiddleware {
  const exempt = options.exemptPathPrefixes ?? [];
  return (request, response, next) => {
    const [path = "/"] = (request.url ?? "/").split("?", 1);
    if (!isStateChangingMethod(request.method ?? "GET") || exempt.some((p) => path.startsWith(p))) {
      next();
      return;
    }
    const view = originCheckView(request);
    if (isSameOriginRequest(view, options.publicOrigin ? [options.publicOrigin] : [])) {
      // Remix compares Origin with X-Forwarded-Host or Host; behind a proxy that rewrites Host
      // (and sends no X-Forwarded-Host) an accepted post would fail there. Say where it came from.
      const origin = view.headers.get("origin");
      if (origin !== null && origin !== "null") {
        request.headers["x-forwarded-host"] = new URL(origin).host;
      }
      next();
      return;
    }
    options.onRefused(
      {
        method: request.method ?? "POST",
        path,
        origin: view.headers.get("origin"),
      },
      response,
    );
    const body = CROSS_SITE_REFUSAL_MESSAGE;
    response.writeHead(403, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "X-Content-Type-Options": "nosniff",
    });
    response.end(body);
  };
}
