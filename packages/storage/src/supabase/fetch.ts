/**
 * The fetch given to storage-js and used for TUS. `redirect: 'error'` matters: without it Node's
 * fetch keeps a replayable copy of a streamed request body for redirects, which grows to the
 * whole file (docs: shared/notes/storage.md).
 */
export type FetchLike = typeof fetch;

export function createNoRedirectFetch(
  signal?: AbortSignal,
  baseFetch: FetchLike = fetch,
): FetchLike {
  return (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s != null);
    const combined =
      signals.length === 0
        ? undefined
        : signals.length === 1
          ? signals[0]
          : AbortSignal.any(signals);
    return baseFetch(input, {
      ...init,
      redirect: "error",
      ...(combined ? { signal: combined } : {}),
    });
  };
}
