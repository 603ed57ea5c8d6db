/**
 * What the pages' log lines say about a request and its error: never headers, never a signed
 * URL's token. Remix's own messages quote the URL ("No route matches URL \"/…?token=…\""), so
 * every quoted URL in a reason goes through redactUrl too.
 */
import { isRouteErrorResponse } from "@remix-run/react";

import { redactUrl } from "@mad/logger";

import { requestIdOf } from "./request-id.server";

export function requestFields(request: Request) {
  const url = new URL(request.url);
  return {
    requestId: requestIdOf(request),
    method: request.method,
    path: redactUrl(url.pathname + url.search),
  };
}

/** A message with every URL-looking part (anything with a `?query`) redacted. */
export function redactUrlsIn(text: string): string {
  return text.replace(/[^\s"'`]*\?[^\s"'`]*/g, (url) => redactUrl(url));
}

/** Why Remix answered with an error page (no such route, method not allowed), fit for a log. */
export function routeErrorReason(error: unknown): string {
  if (!isRouteErrorResponse(error)) return "error";
  // Remix keeps the router's own error here; its stack says nothing, its message quotes the URL.
  const cause = (error as { error?: unknown }).error;
  return redactUrlsIn(cause instanceof Error ? cause.message : error.statusText);
}
