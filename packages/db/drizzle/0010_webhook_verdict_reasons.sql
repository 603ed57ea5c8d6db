-- The verdict of a webhook event carries the reasons in plain words (issue 12: "the verdict
-- (score, convergence, the reasons)"), the same sentences as the model page's "Why this score".
-- Those sentences are @mad/quality's (explainQuality), one owner for the rule, so SQL cannot
-- write them: this trigger snapshots the numbers under `verdict.metrics` (0007 put them under
-- `verdict.reasons`), and the delivery worker computes `verdict.reasons` from that snapshot
-- before the first signing and stores it back into webhook_events.payload, so every retry and
-- every redelivery sends the same body (decision 0017). Events written by 0007's trigger are
-- read the same way (their numbers are taken from the old `reasons` object).
--
-- Same function as 0007 otherwise.
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
      -- `reasons` (the plain-words sentences) is not written here: the delivery worker adds it
      -- with @mad/quality's explainQuality before the first signing and stores it back.
      'verdict', CASE WHEN NEW.quality_metrics IS NULL THEN NULL ELSE jsonb_build_object(
        'score', NEW.quality_metrics -> 'overall_score',
        'convergence', NEW.quality_metrics -> 'convergence_quality',
        'metrics', jsonb_build_object(
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
