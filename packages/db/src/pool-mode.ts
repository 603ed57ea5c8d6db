/**
 * Transaction-mode poolers (PgBouncer `pool_mode = transaction`, Supabase's port 6543) hand a
 * client's statements to whichever server connection is free, so anything tied to a session —
 * named prepared statements, LISTEN, session advisory locks — breaks (docs/decisions/0009).
 */
import postgres from "postgres";

export type PoolMode = "session" | "transaction";

const HOLDERS = 3;

/**
 * Whether `url` behaves like a transaction-mode pooler: a client whose server connection changes
 * between two statements while other clients hold transactions open. A direct connection or a
 * session-mode pooler keeps one backend per client for the client's whole life.
 */
export async function behavesLikeTransactionPooler(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, prepare: false, onnotice: () => {}, idle_timeout: 2 });
  const holders = postgres(url, {
    max: HOLDERS,
    prepare: false,
    onnotice: () => {},
    idle_timeout: 2,
  });
  try {
    const [first] = await probe<{ pid: number }[]>`select pg_backend_pid() as pid`;
    // Hold the server connection(s) the probe just handed back: a pooler that reuses the most
    // recently released connection (PgBouncer's default) gives it to one of these.
    let releaseHolders = () => {};
    const held = new Promise<void>((resolve) => (releaseHolders = resolve));
    let allStarted = () => {};
    const started = new Promise<void>((resolve) => (allStarted = resolve));
    let running = 0;
    const holding = Array.from({ length: HOLDERS }, () =>
      holders.begin(async (tx) => {
        await tx`select 1`;
        if (++running === HOLDERS) allStarted();
        await held;
      }),
    );
    await started;
    const [second] = await probe<{ pid: number }[]>`select pg_backend_pid() as pid`;
    releaseHolders();
    await Promise.all(holding);
    return first?.pid !== second?.pid;
  } finally {
    await Promise.all([probe.end({ timeout: 2 }), holders.end({ timeout: 2 })]);
  }
}

/** Refuses a URL that is a transaction pooler when the configuration says `session`. */
export async function assertPoolMode(url: string, configured: PoolMode): Promise<void> {
  if (configured === "transaction") return;
  if (await behavesLikeTransactionPooler(url)) {
    throw new Error(
      "DATABASE_URL behaves like a transaction-mode pooler (the server connection changes between " +
        "statements), but DATABASE_POOL_MODE is `session`. Set DATABASE_POOL_MODE=transaction " +
        "(and DATABASE_DIRECT_URL for migrations), or use the direct connection or the " +
        "session-mode pooler.",
    );
  }
}
