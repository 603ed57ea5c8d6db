/**
 * The fetch given to storage-js. Two things matter:
 * - `redirect: 'error'`: without it Node's fetch keeps a replayable copy of a streamed request
 *   body for redirects, which grows to the whole file (shared/notes/storage.md).
 * - its own timeout: a frozen server would otherwise hold a request for undici's 300 s. With
 *   `bodyProgress` (the bytes of a streamed body read so far) the timer restarts while the body
 *   moves, so a long upload is not cut; it runs from the last byte until the answer's headers
 *   arrive. Progress is polled rather than hooked into the body, which then goes to fetch as it
 *   is (a wrapper per chunk cost a fifth of the upload's throughput).
 */
import { StorageRequestTimeout } from "./classify";

export type FetchLike = typeof fetch;

export interface StorageFetchOptions {
  /** Cuts a request that moved no byte for this long. */
  timeoutMs: number;
  /** Aborts every request (the caller's signal, e.g. a job taken back by pg-boss). */
  signal?: AbortSignal | undefined;
  /** Bytes of the request body sent so far (a streamed upload), to tell a slow body from a hang. */
  bodyProgress?: (() => number) | undefined;
  baseFetch?: FetchLike;
}

export function createStorageFetch(options: StorageFetchOptions): FetchLike {
  const baseFetch = options.baseFetch ?? fetch;
  const { timeoutMs, bodyProgress } = options;
  return async (input, init) => {
    const timer = new AbortController();
    let lastProgress = bodyProgress?.() ?? 0;
    let lastActivity = Date.now();
    const check = () => {
      const progress = bodyProgress?.() ?? 0;
      if (progress !== lastProgress) {
        lastProgress = progress;
        lastActivity = Date.now();
      } else if (Date.now() - lastActivity >= timeoutMs) {
        timer.abort(new StorageRequestTimeout(timeoutMs));
      }
    };
    const handle = setInterval(check, bodyProgress ? Math.min(1_000, timeoutMs / 4) : timeoutMs);
    const signals = [init?.signal, options.signal, timer.signal].filter(
      (signal): signal is AbortSignal => signal != null,
    );
    try {
      return await baseFetch(input, {
        ...init,
        redirect: "error",
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      // The timer's reason says more than fetch's generic AbortError.
      if (timer.signal.aborted) throw timer.signal.reason;
      throw error;
    } finally {
      clearInterval(handle);
    }
  };
}
