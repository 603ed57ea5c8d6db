/**
 * Server entry: renders the document with a per-request CSP nonce (Remix's inline hydration
 * scripts carry it, so the policy needs no 'unsafe-inline' for scripts) and security headers.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";

import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";

import { NonceContext } from "./lib/nonce";
import { getServerContext } from "./server/context.server";
import { downloadOrigins, securityHeaders } from "./server/headers.server";
import { requestFields, routeErrorReason } from "./server/log-fields.server";
import { logger } from "./server/logger.server";

export const streamTimeout = 5_000;

/**
 * The configuration checked and the context built (database pool, storage access verified, auth):
 * server.js awaits this before it listens, so a wrong env var or storage key stops the process
 * with a message that names it instead of failing requests (and /healthz never says "alive"
 * first). The Vite dev server loads this module on its first request, with the same effect.
 */
export const serverContextReady: Promise<void> = getServerContext().then(
  () => undefined,
  (error: unknown) => {
    logger.fatal(
      `The dashboard cannot start. ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);

/**
 * Draining (server.js on SIGTERM): live event streams (models.events) never finish on their
 * own, so they are ended here and their connections can close; clients reconnect to another
 * process.
 */
export async function endLiveEvents(): Promise<void> {
  const context = await getServerContext();
  await context.events?.close();
}

/**
 * Errors of loaders, actions and rendering, logged as Remix's default does (not when the client
 * went away), but as structured lines carrying the request id. Route error responses that Remix
 * made itself (no such route, method not allowed) are warnings; everything else is an error.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error)) {
    logger.warn(
      { ...requestFields(request), status: error.status, reason: routeErrorReason(error) },
      "request answered with an error page",
    );
    return;
  }
  logger.error({ ...requestFields(request), err: error }, "request failed");
};

/** Data requests (client navigations, fetchers) get the same non-CSP hardening headers. */
export function handleDataRequest(response: Response) {
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}

/**
 * Renders the whole document, then answers with it in one piece. The dashboard defers nothing
 * (every loader awaits its data), so streaming would only split the same bytes into many small
 * socket writes; one buffer is measurably cheaper under load (see bench/ssr.bench.ts).
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const nonce = randomBytes(16).toString("base64");
  const { env } = await getServerContext();
  // Strict policy for every built server; only the Vite dev server needs inline scripts.
  securityHeaders(responseHeaders, {
    nonce,
    production: !import.meta.env.DEV,
    downloadOrigins: downloadOrigins(env),
  });

  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    const rendering = { abort: () => {} };
    const timer = setTimeout(() => rendering.abort(), streamTimeout + 1_000);
    const chunks: Buffer[] = [];
    const collector = new Writable({
      // React ends its destination again on "close"; after "finish" that only builds an
      // ERR_STREAM_ALREADY_FINISHED error (stack trace and all) per request, for nothing.
      emitClose: false,
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
        callback();
      },
      final(callback) {
        clearTimeout(timer);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status }));
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          pipe(collector);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
        onError(error: unknown) {
          status = 500;
          logger.error({ ...requestFields(request), err: error }, "rendering failed");
        },
      },
    );
    rendering.abort = abort;
  });
}
