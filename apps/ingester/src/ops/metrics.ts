/**
 * The ingester's Prometheus metrics (prom-client): what an operator needs to see that jobs flow
 * — outcomes, durations, bytes, retries, and the queue behind them.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import type { Sql } from "@mad/db";

export type IngestionOutcomeLabel = "stored" | "skipped" | "failed" | "retrying";

export interface IngesterMetrics {
  registry: Registry;
  ingestionFinished(outcome: IngestionOutcomeLabel, seconds: number): void;
  bytesCopied(bytes: number): void;
  clusterRetry(kind: string): void;
}

export function createIngesterMetrics(options: { sql: Sql; queue: string }): IngesterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mad_ingester_" });
  const ingestions = new Counter({
    name: "mad_ingestions_total",
    help: "Ingestion attempts by outcome (retrying: the attempt failed, pg-boss tries again).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "mad_ingestion_duration_seconds",
    help: "Duration of one ingestion attempt, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3_600],
    registers: [registry],
  });
  const bytes = new Counter({
    name: "mad_ingested_bytes_total",
    help: "Bytes of adapter files stored.",
    registers: [registry],
  });
  const retries = new Counter({
    name: "mad_cluster_retries_total",
    help: "GPU-cluster requests retried, by kind of fault.",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const { sql, queue } = options;
  // Read from pg-boss's table when scraped: the queue is shared by every ingester process.
  const readQueue = async () => {
    const [row] = await sql<{ depth: number; oldest: number | null }[]>`
      select count(*)::int as depth,
             extract(epoch from now() - min(created_on))::float8 as oldest
        from pgboss.job
       where name = ${queue} and state in ('created', 'retry')`;
    return row ?? { depth: 0, oldest: null };
  };
  new Gauge({
    name: "mad_queue_depth",
    help: "Ingestion jobs waiting (created or due for retry), all processes.",
    registers: [registry],
    async collect() {
      this.set((await readQueue()).depth);
    },
  });
  new Gauge({
    name: "mad_queue_oldest_job_age_seconds",
    help: "Age of the oldest waiting ingestion job (0 when none waits).",
    registers: [registry],
    async collect() {
      this.set((await readQueue()).oldest ?? 0);
    },
  });
  return {
    registry,
    ingestionFinished(outcome, seconds) {
      ingestions.inc({ outcome });
      duration.observe({ outcome }, seconds);
    },
    bytesCopied: (count) => bytes.inc(count),
    clusterRetry: (kind) => retries.inc({ kind }),
  };
}
