/**
 * Readiness probe: the database and storage answer. 503 (with what failed, in words) tells a load
 * balancer to send traffic elsewhere; `/healthz` stays the liveness probe.
 */
import { getServerContext } from "../server/context.server";

const TIMEOUT_MS = 3_000;

async function probe(name: string, check: () => Promise<unknown>) {
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
      ),
    ]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: error instanceof Error ? error.message : "failed" };
  }
}

export async function loader() {
  const context = await getServerContext();
  const checks = await Promise.all([
    probe("database", () => context.db.sql`select 1`),
    probe("storage", () => context.storage.verifyAccess()),
  ]);
  const ready = checks.every((check) => check.ok);
  return Response.json(
    { ready, checks },
    { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
