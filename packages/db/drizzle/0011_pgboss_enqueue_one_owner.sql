-- One owner for each rule the queue functions of 0002/0003 (ingestion) and 0007 (webhook
-- deliveries) used to state twice (issue #10):
--
-- * enqueue_pgboss_job() is the only SQL that inserts into pgboss.job. pg-boss has no SQL-level
--   "send", so the insert copies the queue row's settings: a bare insert gets policy NULL, which
--   silently disables the de-duplicating unique index (shared/notes/pg-boss.md, decision 0007).
--   It wakes workers started with useListenNotify on pg-boss's own channel for the schema
--   `pgboss`. What a missing pg-boss or queue means stays the caller's decision: it returns NULL.
-- * artifact_ingestion_due() is the only statement of "this training job needs an artifact";
--   the enqueue function and the sweep both ask it.
--
-- Behaviour is unchanged: same checks, same messages, same de-duplication.
CREATE OR REPLACE FUNCTION enqueue_pgboss_job(queue_name text, job_data jsonb, singleton text)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  -- NULL: pg-boss is not installed yet, or the queue does not exist (the callers say which
  -- matters); true: a job was inserted; false: a live job with this singleton key exists.
  IF to_regclass('pgboss.queue') IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM pgboss.queue WHERE name = queue_name;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;

  INSERT INTO pgboss.job (
    name, data, singleton_key, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max,
    expire_seconds, deletion_seconds, dead_letter, heartbeat_seconds, keep_until, start_after, created_on
  )
  SELECT q.name, job_data, singleton,
         q.policy, q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max,
         q.expire_seconds, q.deletion_seconds, q.dead_letter, q.heartbeat_seconds,
         pgboss.job_now() + q.retention_seconds * interval '1 second',
         pgboss.job_now(),
         pgboss.job_now()
    FROM pgboss.queue q
   WHERE q.name = queue_name
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;

  IF inserted > 0 THEN
    PERFORM pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), queue_name);
  END IF;
  RETURN inserted > 0;
END;
$$;
--> statement-breakpoint
-- A completed job with a cluster id and no artifact yet; a job whose ingestion failed for good
-- waits for retry_artifact_ingestion(); one its owner deleted is never ingested again.
CREATE OR REPLACE FUNCTION artifact_ingestion_due(training_job_id uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1
      FROM training_jobs j
     WHERE j.id = training_job_id
       AND j.status = 'completed'
       AND j.artifact_id IS NULL
       AND j.external_job_id IS NOT NULL
       AND NOT EXISTS (
         SELECT 1 FROM model_artifacts a
          WHERE a.job_id = j.id AND (a.status = 'failed' OR a.deleted_at IS NOT NULL)
       )
  );
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION enqueue_artifact_ingestion(training_job_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  enqueued boolean;
BEGIN
  IF NOT artifact_ingestion_due(training_job_id) THEN
    RETURN false;
  END IF;

  enqueued := enqueue_pgboss_job(
    'artifact-ingestion', jsonb_build_object('training_job_id', training_job_id), training_job_id::text
  );
  IF enqueued IS NULL THEN
    IF to_regclass('pgboss.queue') IS NULL THEN
      RAISE NOTICE 'pg-boss is not installed yet: training job % is left to the ingester''s sweep', training_job_id;
      RETURN false;
    END IF;
    RAISE EXCEPTION 'pg-boss queue "artifact-ingestion" does not exist: start the ingester once (it creates its queues) before completing training jobs';
  END IF;
  RETURN enqueued;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sweep_artifact_ingestion() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  job record;
  enqueued integer := 0;
BEGIN
  -- The cheap columns narrow the scan; enqueue_artifact_ingestion() asks artifact_ingestion_due().
  FOR job IN
    SELECT j.id
      FROM training_jobs j
     WHERE j.status = 'completed' AND j.artifact_id IS NULL AND j.external_job_id IS NOT NULL
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
-- Unlike ingestion, a missing pg-boss or queue does not refuse the transition (decision 0017):
-- the delivery stays `pending` and sweep_webhook_deliveries() enqueues it later.
CREATE OR REPLACE FUNCTION enqueue_webhook_delivery(delivery_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  enqueued boolean;
BEGIN
  enqueued := enqueue_pgboss_job(
    'webhook-delivery', jsonb_build_object('delivery_id', delivery_id), delivery_id::text
  );
  IF enqueued IS NULL THEN
    IF to_regclass('pgboss.queue') IS NOT NULL THEN
      RAISE NOTICE 'pg-boss queue "webhook-delivery" does not exist yet: delivery % is left to the sweep', delivery_id;
    END IF;
    RETURN false;
  END IF;
  RETURN enqueued;
END;
$$;
