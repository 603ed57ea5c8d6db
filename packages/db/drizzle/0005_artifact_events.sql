-- Live events for the dashboard and the API's models.events subscription: every change of an
-- artifact's state or copy progress, and every new notification, is announced on the channel
-- `mad_artifact_events` with NOTIFY, in the transaction that made it (so a listener hears it
-- only once it is committed, and never for a rolled-back write). One trigger owns the rule, so
-- no writer — the lifecycle in TypeScript, retry_artifact_ingestion(), a manual fix — can forget
-- it. The payload is small (ids, status, byte counts) and far below NOTIFY's 8000-byte limit;
-- listeners filter by user_id and read anything else through the API.
CREATE OR REPLACE FUNCTION notify_artifact_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  IF TG_TABLE_NAME = 'notifications' THEN
    PERFORM pg_notify('mad_artifact_events', json_build_object(
      'kind', 'notification',
      'user_id', NEW.user_id,
      'notification_id', NEW.id,
      'artifact_id', NEW.metadata ->> 'artifact_id'
    )::text);
    RETURN NULL;
  END IF;
  IF NEW.deleted_at IS NOT NULL THEN
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NOT NULL THEN
      RETURN NULL;
    END IF;
    kind := 'deleted';
  ELSIF NEW.status = 'processing' THEN
    kind := 'progress';
  ELSE
    kind := NEW.status::text;
  END IF;
  IF TG_OP = 'UPDATE' AND kind <> 'deleted'
     AND OLD.status = NEW.status
     AND OLD.bytes_copied IS NOT DISTINCT FROM NEW.bytes_copied
     AND OLD.bytes_total IS NOT DISTINCT FROM NEW.bytes_total THEN
    -- Details (name, tags, description) or facts changed: nothing a live view follows.
    RETURN NULL;
  END IF;
  PERFORM pg_notify('mad_artifact_events', json_build_object(
    'kind', kind,
    'user_id', NEW.user_id,
    'artifact_id', NEW.id,
    'status', NEW.status,
    'bytes_copied', NEW.bytes_copied,
    'bytes_total', NEW.bytes_total
  )::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_artifacts_notify_event
  AFTER INSERT OR UPDATE OF status, bytes_copied, bytes_total, deleted_at ON model_artifacts
  FOR EACH ROW EXECUTE FUNCTION notify_artifact_event();
--> statement-breakpoint
CREATE TRIGGER notifications_notify_event
  AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notify_artifact_event();
