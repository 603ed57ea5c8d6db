/**
 * The tables of SPEC §3. Names are fixed: other services of the platform query them.
 * Every rule that must hold whatever code writes the rows is a constraint here, not a hope in
 * application code: one artifact per job, one "ready" notification per job, a stored artifact
 * always has its files and its score.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import type {
  AdapterFactsRecord,
  ArtifactConfiguration,
  ArtifactFile,
  ModelMetadata,
  NotificationMetadata,
  QualityMetricsRecord,
  TrainingSummary,
} from "./types";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const trainingJobStatus = pgEnum("training_job_status", [
  "queued",
  "running",
  "completed",
  "failed",
  "cancelled",
]);

/**
 * `processing`: the ingester is copying files (progress in bytes_copied / bytes_total);
 * `stored`: every file is stored and verified, the score is final; `failed`: the last attempt
 * failed for good (failure_reason says why) and waits for a manual retry.
 */
export const artifactStatus = pgEnum("artifact_status", ["processing", "stored", "failed"]);

export const notificationType = pgEnum("notification_type", ["artifact_ready", "ingestion_failed"]);
export const notificationPriority = pgEnum("notification_priority", ["low", "normal", "high"]);

export const datasets = pgTable(
  "datasets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    name: text("name").notNull(),
    format: text("format").notNull(),
    totalTrainingPairs: integer("total_training_pairs").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("datasets_user_id_idx").on(t.userId),
    index("datasets_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    check("datasets_total_training_pairs_check", sql`${t.totalTrainingPairs} >= 0`),
  ],
);

export const trainingJobs = pgTable(
  "training_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    presetId: text("preset_id").notNull(),
    status: trainingJobStatus("status").notNull().default("queued"),
    externalJobId: text("external_job_id"),
    hyperparameters: jsonb("hyperparameters")
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    gpuConfig: jsonb("gpu_config").$type<{ type: string; count: number }>(),
    currentEpoch: integer("current_epoch"),
    currentStep: integer("current_step"),
    currentMetrics: jsonb("current_metrics").$type<Record<string, unknown>>(),
    finalCost: numeric("final_cost", { precision: 12, scale: 4, mode: "number" }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    artifactId: uuid("artifact_id").references((): AnyPgColumn => modelArtifacts.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("training_jobs_user_id_created_at_idx").on(t.userId, t.createdAt.desc()),
    uniqueIndex("training_jobs_artifact_id_key").on(t.artifactId),
    // The ingester's sweep looks for exactly these rows.
    index("training_jobs_awaiting_artifact_idx")
      .on(t.completedAt)
      .where(sql`${t.status} = 'completed' and ${t.artifactId} is null`),
    check("training_jobs_final_cost_check", sql`${t.finalCost} is null or ${t.finalCost} >= 0`),
  ],
);

export const metricsPoints = pgTable(
  "metrics_points",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => trainingJobs.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    epoch: doublePrecision("epoch"),
    trainingLoss: doublePrecision("training_loss"),
    validationLoss: doublePrecision("validation_loss"),
    learningRate: doublePrecision("learning_rate"),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.step] })],
);

export const modelArtifacts = pgTable(
  "model_artifacts",
  {
    /** Derived from the job id (UUID v5), so every retry of one job writes the same paths. */
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    jobId: uuid("job_id")
      .notNull()
      .references((): AnyPgColumn => trainingJobs.id),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    name: text("name").notNull(),
    /**
     * `N.0.0`: the model is the Nth training run of its line (the user's jobs of this dataset, in
     * order of completion), set by artifact_line_version() (docs/decisions/0020).
     */
    version: text("version").notNull().default("1.0.0"),
    status: artifactStatus("status").notNull().default("processing"),
    qualityMetrics: jsonb("quality_metrics").$type<QualityMetricsRecord>(),
    /** Sort key of the "Highest quality" list; null for "Not rated". */
    qualityScore: smallint("quality_score").generatedAlwaysAs(
      sql`((quality_metrics ->> 'overall_score')::smallint)`,
    ),
    trainingSummary: jsonb("training_summary").$type<TrainingSummary>(),
    configuration: jsonb("configuration").$type<ArtifactConfiguration>(),
    modelMetadata: jsonb("model_metadata").$type<ModelMetadata>(),
    /**
     * What the adapter's own files say (adapter_config.json + the safetensors header), read at
     * ingest by @mad/adapters; null for artifacts stored before it existed and not back-filled.
     */
    adapterFacts: jsonb("adapter_facts").$type<AdapterFactsRecord>(),
    /** The owner's Markdown description (rendered escaped); null when none was written. */
    description: text("description"),
    /** The owner's tags, lower-case; searched through the GIN index below. */
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** File name → storage path (SPEC §3). */
    artifacts: jsonb("artifacts").$type<Record<string, string>>().notNull().default({}),
    /** Per file: name, storage path, size in bytes, sha256 (hex), content type. */
    files: jsonb("files").$type<ArtifactFile[]>().notNull().default([]),
    totalSizeBytes: bigint("total_size_bytes", { mode: "number" }),
    bytesCopied: bigint("bytes_copied", { mode: "number" }).notNull().default(0),
    bytesTotal: bigint("bytes_total", { mode: "number" }),
    failureReason: text("failure_reason"),
    ingestionAttempts: integer("ingestion_attempts").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    storedAt: timestamp("stored_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("model_artifacts_job_id_key").on(t.jobId),
    // The two sorts of models.list, each an index scan over one user's live models.
    index("model_artifacts_user_created_idx")
      .on(t.userId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),
    index("model_artifacts_user_quality_idx")
      .on(t.userId, t.qualityScore.desc().nullsLast(), t.createdAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),
    index("model_artifacts_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("model_artifacts_tags_idx").using("gin", t.tags),
    check(
      "model_artifacts_stored_is_complete",
      sql`${t.status} <> 'stored' or (${t.qualityMetrics} is not null and jsonb_array_length(${t.files}) > 0 and ${t.storedAt} is not null)`,
    ),
    check(
      "model_artifacts_failed_has_reason",
      sql`${t.status} <> 'failed' or ${t.failureReason} is not null`,
    ),
    check("model_artifacts_progress_check", sql`${t.bytesCopied} >= 0`),
    // Bounds the API also enforces, so no writer can store an unbounded description or tag list.
    check(
      "model_artifacts_description_length_check",
      sql`${t.description} is null or char_length(${t.description}) <= 10000`,
    ),
    check("model_artifacts_tags_count_check", sql`cardinality(${t.tags}) <= 20`),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    type: notificationType("type").notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    priority: notificationPriority("priority").notNull().default("normal"),
    actionUrl: text("action_url"),
    metadata: jsonb("metadata").$type<NotificationMetadata>().notNull().default({}),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_user_created_idx").on(t.userId, t.createdAt.desc()),
    index("notifications_user_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    // Exactly one "model ready" per training job, whoever inserts it.
    uniqueIndex("notifications_artifact_ready_job_key")
      .on(sql`(${t.metadata} ->> 'job_id')`)
      .where(sql`${t.type} = 'artifact_ready'`),
  ],
);

/**
 * Named pointers into a model line (a user's models of one dataset): `production`, `staging`, …
 * One holder per alias per line (the primary key); only a live, stored model holds one (the
 * lifecycle releases it on delete, migration 0007). Every move is a row in modelAliasMoves.
 */
export const modelAliases = pgTable(
  "model_aliases",
  {
    userId: uuid("user_id").notNull(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    alias: text("alias").notNull(),
    artifactId: uuid("artifact_id")
      .notNull()
      .references(() => modelArtifacts.id),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.datasetId, t.alias] }),
    index("model_aliases_artifact_idx").on(t.artifactId),
    // The API's rule too (ALIAS_PATTERN), so no writer stores an alias a URL cannot carry.
    check("model_aliases_alias_check", sql`${t.alias} ~ '^[a-z][a-z0-9-]{0,31}$'`),
  ],
);

/** Every alias move, oldest first: who moved which alias of a line from which model to which. */
export const modelAliasMoves = pgTable(
  "model_alias_moves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id),
    alias: text("alias").notNull(),
    /** Null when the alias was new to the line. */
    fromArtifactId: uuid("from_artifact_id").references(() => modelArtifacts.id),
    /** Null when the alias was removed (by its owner, or because its model was deleted). */
    toArtifactId: uuid("to_artifact_id").references(() => modelArtifacts.id),
    /** The user who moved it (the `sub` of their token). */
    movedBy: uuid("moved_by").notNull(),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("model_alias_moves_line_idx").on(t.datasetId, t.movedAt.desc())],
);

export type Dataset = typeof datasets.$inferSelect;
export type NewDataset = typeof datasets.$inferInsert;
export type TrainingJob = typeof trainingJobs.$inferSelect;
export type NewTrainingJob = typeof trainingJobs.$inferInsert;
export type MetricsPoint = typeof metricsPoints.$inferSelect;
export type NewMetricsPoint = typeof metricsPoints.$inferInsert;
export type ModelArtifact = typeof modelArtifacts.$inferSelect;
export type NewModelArtifact = typeof modelArtifacts.$inferInsert;
export type Notification = typeof notifications.$inferSelect;
export type ModelAlias = typeof modelAliases.$inferSelect;
export type ModelAliasMove = typeof modelAliasMoves.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
export type ArtifactStatus = (typeof artifactStatus.enumValues)[number];

/**
 * Outbound webhooks (docs/decisions/0017-outbound-webhooks.md). An endpoint belongs to one user;
 * its secret (`whsec_…`, Standard Webhooks) is shown once at creation and used to sign every
 * delivery. A deleted endpoint keeps its row so its deliveries stay explainable.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: text("event_types")
      .array()
      .notNull()
      .default(sql`'{model.ready,model.failed,model.deleted}'::text[]`),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    /** Set when the receiver answered 410 Gone: no further deliveries until re-created. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_endpoints_user_idx")
      .on(t.userId, t.createdAt.desc())
      .where(sql`${t.deletedAt} is null`),
    check("webhook_endpoints_url_length_check", sql`char_length(${t.url}) <= 2048`),
    check(
      "webhook_endpoints_description_length_check",
      sql`${t.description} is null or char_length(${t.description}) <= 200`,
    ),
    check(
      "webhook_endpoints_event_types_check",
      sql`cardinality(${t.eventTypes}) > 0 and ${t.eventTypes} <@ '{model.ready,model.failed,model.deleted}'::text[]`,
    ),
    check("webhook_endpoints_secret_check", sql`${t.secret} like 'whsec_%'`),
  ],
);

/**
 * The outbox: one row per lifecycle event of an artifact, written by the trigger of migration
 * 0006 in the transaction of the transition. `payload` is the event's data as the receiver gets
 * it (no signed URLs); the model page URL is added at delivery time from configuration.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    artifactId: uuid("artifact_id")
      .notNull()
      .references(() => modelArtifacts.id),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_events_artifact_idx").on(t.artifactId),
    check(
      "webhook_events_type_check",
      sql`${t.type} in ('model.ready', 'model.failed', 'model.deleted')`,
    ),
    // Exactly one model.ready and one model.deleted per model, however often ingestion was
    // retried or the row rewritten; model.failed may repeat (each failed attempt is news).
    uniqueIndex("webhook_events_once_per_artifact_key")
      .on(t.artifactId, t.type)
      .where(sql`${t.type} in ('model.ready', 'model.deleted')`),
  ],
);

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", [
  "pending",
  "delivered",
  "failed",
  "cancelled",
]);

/** One per event × endpoint subscribed to it when the event happened. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attemptCount: integer("attempt_count").notNull().default(0),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_key").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc()),
  ],
);

/** Every attempt of a delivery, kept so the owner can see what the receiver answered. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
    /** Null when no HTTP answer came (refused address, timeout, connection error). */
    statusCode: smallint("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [
    index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt.desc()),
    check(
      "webhook_delivery_attempts_error_length_check",
      sql`${t.error} is null or char_length(${t.error}) <= 300`,
    ),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;
