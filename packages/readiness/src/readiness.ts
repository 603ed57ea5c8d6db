/**
 * The readiness rule both processes answer `/readyz` with: the database and storage each answer
 * within a bound; anything else is "not ready", said in plain words (readiness is often public to
 * a load balancer, so only a check's own message, never a stack or a setting's value).
 */

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Array<{ name: string; ok: true } | { name: string; ok: false; error: string }>;
}

/** Upper bound of one check: a load balancer's probe gives up soon after. */
export const READINESS_TIMEOUT_MS = 3_000;

/** What "ready" means for the web and the ingester alike. */
export function databaseAndStorageChecks(deps: {
  pingDatabase: () => Promise<unknown>;
  storage: { verifyAccess: () => Promise<void> };
}): ReadinessCheck[] {
  return [
    { name: "database", check: deps.pingDatabase },
    { name: "storage", check: () => deps.storage.verifyAccess() },
  ];
}

export async function runReadinessChecks(
  checks: ReadinessCheck[],
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<ReadinessReport["checks"][number]> => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timedOut]);
        return { name, ok: true };
      } catch (error) {
        return { name, ok: false, error: error instanceof Error ? error.message : "failed" };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every((result) => result.ok), checks: results };
}
