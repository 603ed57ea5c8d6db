/**
 * The request-level retry of the cluster client (docs/decisions/0008 names all retry layers):
 * passing faults get `transientRetries` more tries with exponential back-off and jitter; a
 * listing or file that is "not ready yet" is asked for again, without using up that budget,
 * until `notReadyWindowMs` has passed since it was first not ready; `Retry-After` is honoured
 * either way. Everything permanent fails at once.
 */
import { setTimeout as sleep } from "node:timers/promises";

import pRetry from "p-retry";

import { ClusterError } from "./errors";

export interface ClusterRetryPolicy {
  /** Extra tries after a passing fault (5xx, network error, no answer in time). */
  transientRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** How long a listing or file may stay "not ready yet" before the ingestion fails. */
  notReadyWindowMs: number;
  /** Longest wait between two "not ready" polls (Retry-After is capped by the window, not this). */
  notReadyMaxDelayMs: number;
}

const minutes = (ms: number) =>
  ms >= 90_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.max(1, Math.round(ms / 1_000))} s`;

export async function withClusterRetries<T>(
  operation: () => Promise<T>,
  policy: ClusterRetryPolicy,
  options: {
    signal?: AbortSignal;
    onRetry?: (error: ClusterError, attempt: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  const { signal } = options;
  let notReadySince: number | null = null;
  let notReadyAttempts = 0;
  let attempts = 0;
  try {
    return await pRetry(
      () => {
        attempts += 1;
        return operation();
      },
      {
        retries: policy.transientRetries,
        minTimeout: policy.retryBaseDelayMs,
        maxTimeout: policy.retryMaxDelayMs,
        factor: 2,
        randomize: true,
        ...(signal ? { signal } : {}),
        shouldConsumeRetry: ({ error }) =>
          !(error instanceof ClusterError && error.kind === "not-ready"),
        onFailedAttempt: async ({ error, retryDelay, retriesLeft }) => {
          if (!(error instanceof ClusterError) || error.permanent) return;
          if (error.kind === "not-ready") {
            const now = performance.now();
            notReadySince ??= now;
            notReadyAttempts += 1;
            const elapsed = now - notReadySince;
            const left = policy.notReadyWindowMs - elapsed;
            if (left <= 0) {
              throw new ClusterError(
                `${error.message}: still not ready after ${notReadyAttempts} attempts over ${minutes(elapsed)}`,
                {
                  kind: "not-ready",
                  permanent: true,
                  detail: `${error.detail}; not-ready window of ${policy.notReadyWindowMs} ms used up`,
                  ...(error.status === undefined ? {} : { status: error.status }),
                },
              );
            }
            const backoff = Math.min(
              policy.notReadyMaxDelayMs,
              policy.retryBaseDelayMs * 2 ** Math.min(notReadyAttempts - 1, 20),
            );
            const delay = Math.min(left, Math.max(backoff, error.retryAfterMs ?? 0));
            options.onRetry?.(error, attempts, delay);
            // This failure used no retry, so p-retry adds no delay of its own.
            await sleep(delay, undefined, signal ? { signal } : {});
            return;
          }
          if (retriesLeft === 0) return;
          const extra = Math.max(0, (error.retryAfterMs ?? 0) - retryDelay);
          options.onRetry?.(error, attempts, retryDelay + extra);
          if (extra > 0) await sleep(extra, undefined, signal ? { signal } : {});
        },
        shouldRetry: ({ error }) => error instanceof ClusterError && !error.permanent,
      },
    );
  } catch (error) {
    if (error instanceof ClusterError && !error.permanent && attempts > 1 && !signal?.aborted) {
      throw new ClusterError(`${error.message} (gave up after ${attempts} attempts)`, {
        kind: error.kind,
        detail: `${error.detail}; gave up after ${attempts} attempts`,
        ...(error.status === undefined ? {} : { status: error.status }),
      });
    }
    throw error;
  }
}
