CREATE TABLE "model_alias_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"from_artifact_id" uuid,
	"to_artifact_id" uuid,
	"moved_by" uuid NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"user_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"artifact_id" uuid NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_aliases_dataset_id_alias_pk" PRIMARY KEY("dataset_id","alias"),
	CONSTRAINT "model_aliases_alias_check" CHECK ("model_aliases"."alias" ~ '^[a-z][a-z0-9-]{0,31}$')
);
--> statement-breakpoint
ALTER TABLE "model_alias_moves" ADD CONSTRAINT "model_alias_moves_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alias_moves" ADD CONSTRAINT "model_alias_moves_from_artifact_id_model_artifacts_id_fk" FOREIGN KEY ("from_artifact_id") REFERENCES "public"."model_artifacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_alias_moves" ADD CONSTRAINT "model_alias_moves_to_artifact_id_model_artifacts_id_fk" FOREIGN KEY ("to_artifact_id") REFERENCES "public"."model_artifacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_artifact_id_model_artifacts_id_fk" FOREIGN KEY ("artifact_id") REFERENCES "public"."model_artifacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_alias_moves_line_idx" ON "model_alias_moves" USING btree ("dataset_id","moved_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "model_aliases_artifact_idx" ON "model_aliases" USING btree ("artifact_id");