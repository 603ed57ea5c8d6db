CREATE TYPE "public"."artifact_status" AS ENUM('processing', 'stored', 'failed');--> statement-breakpoint
CREATE TYPE "public"."notification_priority" AS ENUM('low', 'normal', 'high');--> statement-breakpoint
CREATE TYPE "public"."notification_type" AS ENUM('artifact_ready', 'ingestion_failed');--> statement-breakpoint
CREATE TYPE "public"."training_job_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"total_training_pairs" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_total_training_pairs_check" CHECK ("datasets"."total_training_pairs" >= 0)
);
--> statement-breakpoint
CREATE TABLE "metrics_points" (
	"job_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"epoch" double precision,
	"training_loss" double precision,
	"validation_loss" double precision,
	"learning_rate" double precision,
	"timestamp" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metrics_points_job_id_step_pk" PRIMARY KEY("job_id","step")
);
--> statement-breakpoint
CREATE TABLE "model_artifacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" text DEFAULT '1.0.0' NOT NULL,
	"status" "artifact_status" DEFAULT 'processing' NOT NULL,
	"quality_metrics" jsonb,
	"quality_score" smallint GENERATED ALWAYS AS (((quality_metrics ->> 'overall_score')::smallint)) STORED,
	"training_summary" jsonb,
	"configuration" jsonb,
	"model_metadata" jsonb,
	"artifacts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"total_size_bytes" bigint,
	"bytes_copied" bigint DEFAULT 0 NOT NULL,
	"bytes_total" bigint,
	"failure_reason" text,
	"ingestion_attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "model_artifacts_stored_is_complete" CHECK ("model_artifacts"."status" <> 'stored' or ("model_artifacts"."quality_metrics" is not null and jsonb_array_length("model_artifacts"."files") > 0 and "model_artifacts"."stored_at" is not null)),
	CONSTRAINT "model_artifacts_failed_has_reason" CHECK ("model_artifacts"."status" <> 'failed' or "model_artifacts"."failure_reason" is not null),
	CONSTRAINT "model_artifacts_progress_check" CHECK ("model_artifacts"."bytes_copied" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" "notification_type" NOT NULL,
	"title" text NOT NULL,
	"message" text NOT NULL,
	"priority" "notification_priority" DEFAULT 'normal' NOT NULL,
	"action_url" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"preset_id" text NOT NULL,
	"status" "training_job_status" DEFAULT 'queued' NOT NULL,
	"external_job_id" text,
	"hyperparameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"gpu_config" jsonb,
	"current_epoch" integer,
	"current_step" integer,
	"current_metrics" jsonb,
	"final_cost" numeric(12, 4),
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"artifact_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_jobs_final_cost_check" CHECK ("training_jobs"."final_cost" is null or "training_jobs"."final_cost" >= 0)
);
--> statement-breakpoint
ALTER TABLE "metrics_points" ADD CONSTRAINT "metrics_points_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_artifact_id_model_artifacts_id_fk" FOREIGN KEY ("artifact_id") REFERENCES "public"."model_artifacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasets_user_id_idx" ON "datasets" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "datasets_name_trgm_idx" ON "datasets" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "model_artifacts_job_id_key" ON "model_artifacts" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "model_artifacts_user_created_idx" ON "model_artifacts" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "model_artifacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "model_artifacts_user_quality_idx" ON "model_artifacts" USING btree ("user_id","quality_score" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "model_artifacts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "model_artifacts_name_trgm_idx" ON "model_artifacts" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "notifications_user_created_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_user_unread_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_artifact_ready_job_key" ON "notifications" USING btree (("metadata" ->> 'job_id')) WHERE "notifications"."type" = 'artifact_ready';--> statement-breakpoint
CREATE INDEX "training_jobs_user_id_created_at_idx" ON "training_jobs" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "training_jobs_artifact_id_key" ON "training_jobs" USING btree ("artifact_id");--> statement-breakpoint
CREATE INDEX "training_jobs_awaiting_artifact_idx" ON "training_jobs" USING btree ("completed_at") WHERE "training_jobs"."status" = 'completed' and "training_jobs"."artifact_id" is null;