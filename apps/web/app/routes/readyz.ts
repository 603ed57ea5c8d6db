/**
 * Readiness probe: the database and storage answer (the rule is @mad/readiness's, shared with
 * the ingester). 503, with what failed in words, tells a load balancer to send traffic
 * elsewhere; `/healthz` stays the liveness probe.
 */
import { databaseAndStorageChecks, runReadinessChecks } from "@mad/readiness";

import { getServerContext } from "../server/context.server";

export async function loader() {
  const context = await getServerContext();
  const report = await runReadinessChecks(
    databaseAndStorageChecks({
      pingDatabase: () => context.db.sql`select 1`,
      storage: context.storage,
    }),
  );
  return Response.json(report, {
    status: report.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
