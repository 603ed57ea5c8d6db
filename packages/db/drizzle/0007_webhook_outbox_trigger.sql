-- Outbound webhooks (docs/decisions/0017-outbound-webhooks.md). A trigger on model_artifacts
-- writes the outbox (webhook_events), one delivery per subscribed endpoint and the pg-boss job of
-- each delivery, all in the transaction of the transition: no writer (the TypeScript lifecycle,
-- retry_artifact_ingestion(), a manual fix in psql) can forget it, and a rolled-back transition
-- sends nothing. The unique index on webhook_events makes model.ready happen once per model
-- however often ingestion was retried.
--
-- The job insert copies the queue row's settings for the reasons given in migration 0002 and
-- shared/notes/pg-boss.md (policy `exclusive`, singleton_key = delivery id: one live job per
-- delivery; a redelivery after the last job finished gets a new one). Unlike ingestion, a missing
-- pg-boss or queue does not refuse the transition — a model must be storable while no ingester
-- ran — the delivery stays `pending` and sweep_webhook_deliveries() (run by the ingester at
-- start and every minute) enqueues it.
CREATE OR REPLACE FUNCTION enqueue_webhook_delivery(delivery_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  IF to_regclass('pgboss.queue') IS NULL THEN
    RETURN false;
  END IF;
  PERFORM 1 FROM pgboss.queue WHERE name = 'webhook-delivery';
  IF NOT FOUND THEN
    RAISE NOTICE 'pg-boss queue "webhook-delivery" does not exist yet: delivery % is left to the sweep', delivery_id;
    RETURN false;
  END IF;

  INSERT INTO pgboss.job (
    name, data, singleton_key, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max,
    expire_seconds, deletion_seconds, dead_letter, heartbeat_seconds, keep_until, start_after, created_on
  )
  SELECT q.name,
         jsonb_build_object('delivery_id', delivery_id),
         delivery_id::text,
         q.policy, q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max,
         q.expire_seconds, q.deletion_seconds, q.dead_letter, q.heartbeat_seconds,
         pgboss.job_now() + q.retention_seconds * interval '1 second',
         pgboss.job_now(),
         pgboss.job_now()
    FROM pgboss.queue q
   WHERE q.name = 'webhook-delivery'
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;

  IF inserted > 0 THEN
    PERFORM pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), 'webhook-delivery');
  END IF;
  RETURN inserted > 0;
END;
$$;
--> statement-breakpoint
-- Pending deliveries without a live job (pg-boss was not installed, or the queue not created,
-- when their event happened). Safe to run concurrently with the trigger: the job insert is
-- de-duplicated per delivery. Returns how many jobs it enqueued.
CREATE OR REPLACE FUNCTION sweep_webhook_deliveries() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  delivery record;
  enqueued integer := 0;
BEGIN
  FOR delivery IN
    SELECT d.id FROM webhook_deliveries d WHERE d.status = 'pending' ORDER BY d.created_at
  LOOP
    IF enqueue_webhook_delivery(delivery.id) THEN
      enqueued := enqueued + 1;
    END IF;
  END LOOP;
  RETURN enqueued;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION model_artifacts_webhook_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  event_type text;
  event_id uuid;
  dataset_name text;
  delivery record;
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NOT NULL THEN
      RETURN NULL;
    END IF;
    event_type := 'model.deleted';
  ELSIF NEW.status = 'stored' AND (TG_OP = 'INSERT' OR OLD.status <> 'stored') THEN
    event_type := 'model.ready';
  ELSIF NEW.status = 'failed' AND (TG_OP = 'INSERT' OR OLD.status <> 'failed') THEN
    event_type := 'model.failed';
  ELSE
    RETURN NULL;
  END IF;

  SELECT d.name INTO dataset_name FROM datasets d WHERE d.id = NEW.dataset_id;

  -- The data the receiver gets. File names, sizes and hashes only: never a storage path or a
  -- signed URL (they would outlive their expiry in the receiver's logs).
  INSERT INTO webhook_events (user_id, artifact_id, type, payload)
  VALUES (NEW.user_id, NEW.id, event_type, jsonb_build_object(
    'model', jsonb_build_object(
      'id', NEW.id,
      'name', NEW.name,
      'version', NEW.version,
      'status', NEW.status,
      'job_id', NEW.job_id,
      'dataset', jsonb_build_object('id', NEW.dataset_id, 'name', dataset_name),
      'verdict', CASE WHEN NEW.quality_metrics IS NULL THEN NULL ELSE jsonb_build_object(
        'score', NEW.quality_metrics -> 'overall_score',
        'convergence', NEW.quality_metrics -> 'convergence_quality',
        'reasons', jsonb_build_object(
          'final_training_loss', NEW.quality_metrics -> 'final_training_loss',
          'final_validation_loss', NEW.quality_metrics -> 'final_validation_loss',
          'perplexity', NEW.quality_metrics -> 'perplexity',
          'loss_reduction_percent', NEW.quality_metrics -> 'loss_reduction_percent'
        )
      ) END,
      'files', COALESCE((
        SELECT jsonb_agg(jsonb_build_object(
                 'name', f ->> 'name',
                 'size_bytes', (f ->> 'size_bytes')::bigint,
                 'sha256', f ->> 'sha256'
               ) ORDER BY f ->> 'name')
          FROM jsonb_array_elements(NEW.files) f
      ), '[]'::jsonb),
      'total_size_bytes', NEW.total_size_bytes,
      'failure_reason', CASE WHEN event_type = 'model.failed' THEN NEW.failure_reason END,
      'stored_at', NEW.stored_at,
      'deleted_at', NEW.deleted_at
    )
  ))
  ON CONFLICT DO NOTHING
  RETURNING id INTO event_id;

  IF event_id IS NULL THEN
    -- Already announced (a second transition to stored would be a bug elsewhere; say it once).
    RETURN NULL;
  END IF;

  FOR delivery IN
    INSERT INTO webhook_deliveries (event_id, endpoint_id)
    SELECT event_id, e.id
      FROM webhook_endpoints e
     WHERE e.user_id = NEW.user_id
       AND e.deleted_at IS NULL
       AND e.disabled_at IS NULL
       AND event_type = ANY (e.event_types)
    RETURNING id
  LOOP
    PERFORM enqueue_webhook_delivery(delivery.id);
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_artifacts_webhook_event
  AFTER INSERT OR UPDATE OF status, deleted_at ON model_artifacts
  FOR EACH ROW EXECUTE FUNCTION model_artifacts_webhook_event();
