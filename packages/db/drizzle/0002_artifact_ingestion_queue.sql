-- Postgres schedules the ingester (SPEC §2, docs/decisions in apps/ingester): one SQL function
-- enqueues the pg-boss job of a training job; the trigger, the ingester's cron sweep and a manual
-- retry all go through it, so they share one definition of "needs an artifact" and one
-- de-duplication (queue policy `exclusive` + singleton_key = training job id).
--
-- pg-boss has no SQL-level "send": the insert copies the queue row's settings, because a bare
-- insert gets policy NULL, which silently disables the de-duplicating unique index
-- (shared/notes/pg-boss.md). The pg-boss schema (`pgboss`) and the queue `artifact-ingestion`
-- are created by the ingester's `boss.start()` / `createQueue`; until then the function enqueues
-- nothing (with a NOTICE) and the sweep catches up once the ingester runs.
CREATE OR REPLACE FUNCTION enqueue_artifact_ingestion(training_job_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  -- Only a completed job with a cluster id and no artifact yet; a job whose ingestion failed for
  -- good waits for retry_artifact_ingestion().
  PERFORM 1
    FROM training_jobs j
   WHERE j.id = training_job_id
     AND j.status = 'completed'
     AND j.artifact_id IS NULL
     AND j.external_job_id IS NOT NULL
     AND NOT EXISTS (
       SELECT 1 FROM model_artifacts a WHERE a.job_id = j.id AND a.status = 'failed'
     );
  IF NOT FOUND THEN
    RETURN false;
  END IF;

  IF to_regclass('pgboss.queue') IS NULL THEN
    RAISE NOTICE 'pg-boss is not installed yet: training job % is left to the ingester''s sweep', training_job_id;
    RETURN false;
  END IF;

  PERFORM 1 FROM pgboss.queue WHERE name = 'artifact-ingestion';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'pg-boss queue "artifact-ingestion" does not exist: start the ingester once (it creates its queues) before completing training jobs';
  END IF;

  INSERT INTO pgboss.job (
    name, data, singleton_key, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max,
    expire_seconds, deletion_seconds, dead_letter, heartbeat_seconds, keep_until, start_after, created_on
  )
  SELECT q.name,
         jsonb_build_object('training_job_id', training_job_id),
         training_job_id::text,
         q.policy, q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max,
         q.expire_seconds, q.deletion_seconds, q.dead_letter, q.heartbeat_seconds,
         pgboss.job_now() + q.retention_seconds * interval '1 second',
         pgboss.job_now(),
         pgboss.job_now()
    FROM pgboss.queue q
   WHERE q.name = 'artifact-ingestion'
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;

  IF inserted > 0 THEN
    -- Wakes workers started with useListenNotify at commit; the channel is the one pg-boss derives
    -- for the schema `pgboss`.
    PERFORM pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), 'artifact-ingestion');
  END IF;
  RETURN inserted > 0;
END;
$$;
--> statement-breakpoint
-- The safety net run by the ingester's pg-boss cron schedule: every completed job still without an
-- artifact (except failed ones, which wait for a manual retry). Returns how many jobs it enqueued.
CREATE OR REPLACE FUNCTION sweep_artifact_ingestion() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  job record;
  enqueued integer := 0;
BEGIN
  FOR job IN
    SELECT j.id
      FROM training_jobs j
     WHERE j.status = 'completed'
       AND j.artifact_id IS NULL
       AND j.external_job_id IS NOT NULL
       AND NOT EXISTS (
         SELECT 1 FROM model_artifacts a WHERE a.job_id = j.id AND a.status = 'failed'
       )
     ORDER BY j.completed_at NULLS LAST
  LOOP
    IF enqueue_artifact_ingestion(job.id) THEN
      enqueued := enqueued + 1;
    END IF;
  END LOOP;
  RETURN enqueued;
END;
$$;
--> statement-breakpoint
-- Manual retry of a failed ingestion (from the API or psql): the artifact goes back to
-- `processing` and the job is enqueued again. Returns false when there was nothing to retry.
CREATE OR REPLACE FUNCTION retry_artifact_ingestion(training_job_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE model_artifacts
     SET status = 'processing', failure_reason = NULL, bytes_copied = 0, updated_at = now()
   WHERE job_id = training_job_id AND status = 'failed';
  RETURN enqueue_artifact_ingestion(training_job_id);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION training_jobs_enqueue_artifact_ingestion() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM enqueue_artifact_ingestion(NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER training_jobs_enqueue_artifact_ingestion
  AFTER INSERT OR UPDATE OF status, artifact_id, external_job_id ON training_jobs
  FOR EACH ROW
  WHEN (NEW.status = 'completed' AND NEW.artifact_id IS NULL AND NEW.external_job_id IS NOT NULL)
  EXECUTE FUNCTION training_jobs_enqueue_artifact_ingestion();
