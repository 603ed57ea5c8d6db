/**
 * The id that ties a request's log lines together (server.js, the pages, the API). An incoming
 * `x-request-id` (from a proxy or another service) is kept only if it has the shape the API
 * accepts (packages/api/src/http.ts); anything else is replaced, so a client cannot put
 * arbitrary text into the logs.
 */
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The incoming id if it is well-formed, else a fresh one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The request's id as server.js set it; undefined (the API makes one) when it is missing or malformed. */
export function requestIdOf(request: Request): string | undefined {
  const incoming = request.headers.get(REQUEST_ID_HEADER);
  return incoming && REQUEST_ID.test(incoming) ? incoming : undefined;
}
