import { type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import parseRangeHeader from "range-parser";

/** An error that is answered as `status` + JSON `body` (when no header has been sent yet). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.error));
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

/** The `Retry-After` header a fault answer carries (none when the spec says null). */
export function retryAfterHeader(spec: {
  faultRetryAfterSeconds: number | null;
}): Record<string, string> {
  return spec.faultRetryAfterSeconds === null
    ? {}
    : { "retry-after": String(spec.faultRetryAfterSeconds) };
}

/** Resolves true on 'drain', false if the response is closed first. */
export function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/**
 * Holds a response for `ms` milliseconds (`null`: until the client goes away or the server
 * shuts down). Resolves true when the wait ran out, false when the response is gone.
 */
export async function pause(
  res: ServerResponse,
  ms: number | null,
  shutdown: AbortSignal,
): Promise<boolean> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once("close", onClose);
  const signal = AbortSignal.any([gone.signal, shutdown]);
  try {
    if (ms === null) {
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      return false;
    }
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  } finally {
    res.off("close", onClose);
  }
}

/** Reads a JSON request body of at most `limit` bytes; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    length += part.length;
    if (length > limit) throw new HttpError(413, { error: "body_too_large" });
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, { error: "invalid_json_body" });
  }
}

export interface ByteRange {
  start: number;
  end: number; // exclusive
}

/**
 * Single `bytes=` ranges only (parsed by `range-parser`, as Express does); a malformed or
 * multi-range header is served whole, as RFC 9110 allows.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const ranges = parseRangeHeader(size, header.trim());
  if (ranges === -1) return "unsatisfiable";
  if (ranges === -2 || ranges.type !== "bytes" || ranges.length !== 1) return null;
  const [range] = ranges;
  return range ? { start: range.start, end: range.end + 1 } : null;
}
