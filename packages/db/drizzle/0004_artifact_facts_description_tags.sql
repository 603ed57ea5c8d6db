ALTER TABLE "model_artifacts" ADD COLUMN "adapter_facts" jsonb;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "model_artifacts_tags_idx" ON "model_artifacts" USING gin ("tags");--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_description_length_check" CHECK ("model_artifacts"."description" is null or char_length("model_artifacts"."description") <= 10000);--> statement-breakpoint
ALTER TABLE "model_artifacts" ADD CONSTRAINT "model_artifacts_tags_count_check" CHECK (cardinality("model_artifacts"."tags") <= 20);