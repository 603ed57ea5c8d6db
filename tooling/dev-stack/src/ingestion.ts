import postgres from "postgres";

import { type ManagedProcess, waitFor } from "./processes";

async function withSql<T>(url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Whether the ingester has installed pg-boss and created its queue (it is ready for jobs). */
export function queueReady(url: string): Promise<boolean> {
  return withSql(url, async (sql) => {
    const rows = await sql`select 1 from pg_namespace where nspname = 'pgboss'`;
    if (rows.length === 0) return false;
    const queues = await sql`select 1 from pgboss.queue limit 1`;
    return queues.length > 0;
  });
}

/**
 * Resolves with the number of stored artifacts once every completed training job's artifact is
 * stored or has failed, and at least one is stored: the real pipeline has done its work.
 */
export async function waitForIngestion(
  url: string,
  ingester: ManagedProcess,
  timeoutMs = 120_000,
): Promise<number> {
  let stored = 0;
  let waiting: number | undefined;
  await waitFor(
    "the ingester to store the seeded artifacts",
    () =>
      withSql(url, async (sql) => {
        const [row] = await sql<{ waiting: number; stored: number }[]>`
          select
            (select count(*)::int from training_jobs j
              where j.status = 'completed' and j.external_job_id is not null
                and not exists (select 1 from model_artifacts a
                                where a.job_id = j.id and a.status in ('stored', 'failed'))) as waiting,
            (select count(*)::int from model_artifacts where status = 'stored') as stored`;
        waiting = row?.waiting;
        stored = row?.stored ?? 0;
        return waiting === 0 && stored > 0;
      }),
    { timeoutMs, intervalMs: 500, process: ingester },
  ).catch((error: unknown) => {
    throw waiting === undefined
      ? error
      : new Error(`${(error as Error).message} (${waiting} jobs still waiting for their artifact)`);
  });
  return stored;
}
