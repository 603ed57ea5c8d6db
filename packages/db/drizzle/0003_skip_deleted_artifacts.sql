-- A model deleted by its owner while it was being ingested (or after it failed) must not be
-- enqueued again by the trigger or the sweep: the ingester would otherwise copy its files once a
-- minute forever, since its training job never gets linked. Same functions as 0002, with
-- `deleted_at IS NOT NULL` added to the "waits / never again" condition.
CREATE OR REPLACE FUNCTION enqueue_artifact_ingestion(training_job_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  -- Only a completed job with a cluster id and no artifact yet; a job whose ingestion failed for
  -- good waits for retry_artifact_ingestion(); one its owner deleted is never ingested again.
  PERFORM 1
    FROM training_jobs j
   WHERE j.id = training_job_id
     AND j.status = 'completed'
     AND j.artifact_id IS NULL
     AND j.external_job_id IS NOT NULL
     AND NOT EXISTS (
       SELECT 1 FROM model_artifacts a
        WHERE a.job_id = j.id AND (a.status = 'failed' OR a.deleted_at IS NOT NULL)
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
         SELECT 1 FROM model_artifacts a
        WHERE a.job_id = j.id AND (a.status = 'failed' OR a.deleted_at IS NOT NULL)
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
