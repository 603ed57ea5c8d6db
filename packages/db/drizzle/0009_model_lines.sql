-- Model lines (docs/decisions/0020-model-lines-versions-and-aliases.md).
--
-- A line is a user's models of one dataset. A model's version is `N.0.0`: its training job is
-- the Nth of the line's completed jobs, in order of completion (ties by id). It depends only on
-- the jobs, not on the order in which the ingester happens to copy them, so a retry, a slow copy
-- or a back-fill never renumbers anything; the semver shape keeps SPEC §3's `1.0.0` readable by
-- anything that parses it. One function owns the rule: beginIngestion and the back-fill call it.
CREATE OR REPLACE FUNCTION artifact_line_version(job_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT count(*)::text || '.0.0'
  FROM training_jobs AS this
  JOIN training_jobs AS earlier
    ON earlier.dataset_id = this.dataset_id
   AND earlier.user_id = this.user_id
   AND earlier.status = 'completed'
   AND (earlier.completed_at, earlier.id) <= (this.completed_at, this.id)
  WHERE this.id = artifact_line_version.job_id;
$$;
--> statement-breakpoint
UPDATE model_artifacts SET version = artifact_line_version(job_id)
WHERE version IS DISTINCT FROM artifact_line_version(job_id)
  AND artifact_line_version(job_id) <> '0.0.0';
--> statement-breakpoint
-- A deleted model holds no alias: whatever deletes it (the API, a manual fix), its aliases are
-- released and each release is recorded as a move to nothing, by the model's owner.
CREATE OR REPLACE FUNCTION release_aliases_of_deleted_artifact() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH released AS (
    DELETE FROM model_aliases WHERE artifact_id = NEW.id
    RETURNING user_id, dataset_id, alias, artifact_id
  )
  INSERT INTO model_alias_moves (user_id, dataset_id, alias, from_artifact_id, to_artifact_id, moved_by)
  SELECT user_id, dataset_id, alias, artifact_id, NULL, user_id FROM released;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_artifacts_release_aliases
  AFTER UPDATE OF deleted_at ON model_artifacts
  FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
  EXECUTE FUNCTION release_aliases_of_deleted_artifact();
--> statement-breakpoint
-- An alias move is a live event too (models.events), announced in the moving transaction on the
-- channel of the artifact events trigger: services that follow `production` hear it move.
CREATE OR REPLACE FUNCTION notify_alias_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mad_artifact_events', json_build_object(
    'kind', 'alias',
    'user_id', NEW.user_id,
    'dataset_id', NEW.dataset_id,
    'alias', NEW.alias,
    'artifact_id', NEW.to_artifact_id,
    'previous_artifact_id', NEW.from_artifact_id
  )::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER model_alias_moves_notify_event
  AFTER INSERT ON model_alias_moves
  FOR EACH ROW EXECUTE FUNCTION notify_alias_move();
