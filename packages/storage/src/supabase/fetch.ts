/**
 * The fetch given to storage-js. Two things matter:
 * - `redirect: 'error'`: without it Node's fetch keeps a replayable copy of a streamed request
 *   body for redirects, which grows to the whole file (shared/notes/storage.md).
 * - its own timeout: a frozen server would otherwise hold a request for undici's 300 s. The
 *   timer restarts whenever a chunk of a streamed body goes out, so a long upload is not cut
 *   while it moves; it runs from the last byte sent until the answer's headers arrive.
 */
import { Readable } from "node:stream";

import { StorageRequestTimeout } from "./classify";

export type FetchLike = typeof fetch;

export interface StorageFetchOptions {
  /** Cuts a request that moved no byte for this long. */
  timeoutMs: number;
  /** Aborts every request (the caller's signal, e.g. a job taken back by pg-boss). */
  signal?: AbortSignal | undefined;
  baseFetch?: FetchLike;
}

export function createStorageFetch(options: StorageFetchOptions): FetchLike {
  const baseFetch = options.baseFetch ?? fetch;
  return async (input, init) => {
    const timer = new AbortController();
    let handle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(handle);
      handle = setTimeout(
        () => timer.abort(new StorageRequestTimeout(options.timeoutMs)),
        options.timeoutMs,
      );
    };
    const signals = [init?.signal, options.signal, timer.signal].filter(
      (signal): signal is AbortSignal => signal != null,
    );
    let body = init?.body;
    if (body instanceof Readable) body = touchingBody(body, touch);
    touch();
    try {
      return await baseFetch(input, {
        ...init,
        ...(body === undefined ? {} : { body }),
        redirect: "error",
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      // The timer's reason says more than fetch's generic AbortError.
      if (timer.signal.aborted) throw timer.signal.reason;
      throw error;
    } finally {
      clearTimeout(handle);
    }
  };
}

/** The same bytes, restarting the timeout whenever one more chunk is pulled. */
async function* touchingBody(body: Readable, touch: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    touch();
    yield chunk;
  }
}
