/**
 * Bulk-loads realistic model artifacts with generate_series (one statement per table, no
 * row-by-row inserts): `users` users with `perUser` artifacts each, spread over two years, a
 * fifth of them unrated, a few processing / failed / deleted. Used by the EXPLAIN test and the
 * list benchmark.
 */
import { createHash } from "node:crypto";

import type { Sql } from "@mad/db";

/** The deterministic, RFC-valid (v4-shaped) uuid the loader derives from `key`. */
export function fakeUuid(key: string): string {
  const hex = createHash("md5").update(key).digest("hex").split("");
  hex[12] = "4";
  hex[16] = "8";
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const bulkUserId = (user: number) => fakeUuid(`u${user}`);

export const BULK_DATASET_NAMES = [
  "Support tickets",
  "Legal QA",
  "Code review",
  "Medical notes",
  "Customer emails",
];

export interface BulkLoadOptions {
  users: number;
  perUser: number;
  /** First user number (to load in several calls). */
  firstUser?: number;
}

export async function bulkLoadArtifacts(sql: Sql, options: BulkLoadOptions): Promise<void> {
  const first = options.firstUser ?? 1;
  const last = first + options.users - 1;
  const names = `array[${BULK_DATASET_NAMES.map((n) => `'${n}'`).join(",")}]`;
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      create or replace function pg_temp.fake_uuid(key text) returns uuid language sql immutable as $$
        select overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid
      $$`);
    await tx.unsafe(`
      insert into datasets (id, user_id, name, format, total_training_pairs, created_at)
      select pg_temp.fake_uuid('d' || u || '-' || d), pg_temp.fake_uuid('u' || u),
             (${names})[d] || ' v' || (u % 7 + 1), 'jsonl', 1000 + (u * d) % 20000,
             timestamptz '2024-11-01'
        from generate_series(${first}, ${last}) u, generate_series(1, 5) d`);
    // external_job_id stays null: the ingestion trigger has nothing to enqueue.
    await tx.unsafe(`
      insert into training_jobs (id, user_id, dataset_id, preset_id, status, hyperparameters, gpu_config,
                                 final_cost, started_at, completed_at, created_at)
      select pg_temp.fake_uuid('j' || u || '-' || i), pg_temp.fake_uuid('u' || u),
             pg_temp.fake_uuid('d' || u || '-' || (i % 5 + 1)),
             (array['fast','balanced','quality'])[i % 3 + 1], 'completed',
             '{"learning_rate":0.0002,"batch_size":8,"epochs":3,"rank":16}',
             '{"type":"A100-80GB","count":2}', 10 + (i % 50),
             ts - interval '2 hours', ts, ts - interval '3 hours'
        from generate_series(${first}, ${last}) u, generate_series(1, ${options.perUser}) i,
             lateral (select timestamptz '2026-11-23' - ((u * 7919 + i * 104729) % 1051200) * interval '1 minute' as ts) t`);
    await tx.unsafe(`
      insert into model_artifacts (id, user_id, job_id, dataset_id, name, status, quality_metrics,
                                   training_summary, configuration, model_metadata, artifacts, files,
                                   total_size_bytes, bytes_copied, bytes_total, failure_reason,
                                   created_at, stored_at, deleted_at)
      select a.id, a.user_id, a.job_id, a.dataset_id,
             (${names})[a.i % 5 + 1] || ' v' || (a.u % 7 + 1) || ' - ' || to_char(a.ts, 'YYYY-MM-DD'),
             a.status::artifact_status,
             case when a.status <> 'stored' then null
                  when a.score is null then '{"overall_score":null,"convergence_quality":"unknown","final_training_loss":null,"final_validation_loss":null,"perplexity":null,"loss_reduction_percent":null}'::jsonb
                  else jsonb_build_object('overall_score', a.score,
                         'convergence_quality', (array['poor','poor','fair','good','excellent'])[a.score],
                         'final_training_loss', 1.1, 'final_validation_loss', 1.2, 'perplexity', 3.32,
                         'loss_reduction_percent', (array[3,10,22,40,70])[a.score]) end,
             '{"epochs_completed":3,"total_steps":200,"final_loss":1.1,"training_duration_hours":1.5,"total_cost":18.42}',
             '{"preset_id":"balanced","hyperparameters":{"rank":16},"gpu_config":{"type":"A100-80GB","count":2}}',
             '{"base_model":"meta-llama/Llama-3.1-8B","adapter_type":"lora"}',
             jsonb_build_object('adapter_config.json', a.user_id || '/' || a.id || '/adapter_config.json'),
             jsonb_build_array(jsonb_build_object('name', 'adapter_config.json',
               'storage_path', a.user_id || '/' || a.id || '/adapter_config.json', 'size_bytes', 1024,
               'sha256', repeat('0', 64), 'content_type', 'application/json')),
             1024, case when a.status = 'stored' then 1024 else 512 end, 1024,
             case when a.status = 'failed' then 'GPU cluster answered 404' end,
             a.ts, case when a.status = 'stored' then a.ts end,
             case when (a.u + a.i) % 40 = 0 then a.ts + interval '1 day' end
        from (
          select u, i, ts,
                 pg_temp.fake_uuid('a' || u || '-' || i) as id, pg_temp.fake_uuid('u' || u) as user_id,
                 pg_temp.fake_uuid('j' || u || '-' || i) as job_id,
                 pg_temp.fake_uuid('d' || u || '-' || (i % 5 + 1)) as dataset_id,
                 case when i % 50 = 7 then 'processing' when i % 97 = 3 then 'failed' else 'stored' end as status,
                 case when (u + i) % 5 = 0 then null else (u * 31 + i * 17) % 5 + 1 end as score
            from generate_series(${first}, ${last}) u, generate_series(1, ${options.perUser}) i,
                 lateral (select timestamptz '2026-11-23' - ((u * 7919 + i * 104729) % 1051200) * interval '1 minute' as ts) t
        ) a`);
  });
}
