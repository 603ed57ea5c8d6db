/**
 * The SQL functions of migration 0002, for callers that hold a postgres.js client. Any other
 * service can call them with plain SQL (no pg-boss import needed).
 */
import type { Sql } from "@mad/db";

/** Enqueues the job's ingestion (no-op unless it is completed, linked to nothing, not failed). */
export async function enqueueIngestion(sql: Sql, trainingJobId: string): Promise<boolean> {
  const [row] = await sql<
    { enqueued: boolean }[]
  >`select enqueue_artifact_ingestion(${trainingJobId}::uuid) as enqueued`;
  return row?.enqueued ?? false;
}

/** Manual retry of a failed ingestion: back to `processing`, enqueued again. */
export async function retryIngestion(sql: Sql, trainingJobId: string): Promise<boolean> {
  const [row] = await sql<
    { enqueued: boolean }[]
  >`select retry_artifact_ingestion(${trainingJobId}::uuid) as enqueued`;
  return row?.enqueued ?? false;
}

/** The safety-net sweep; returns how many jobs it enqueued. */
export async function sweepIngestion(sql: Sql): Promise<number> {
  const [row] = await sql<{ enqueued: number }[]>`select sweep_artifact_ingestion() as enqueued`;
  return row?.enqueued ?? 0;
}
