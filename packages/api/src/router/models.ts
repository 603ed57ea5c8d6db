/**
 * The user's model artifacts (SPEC §6). Every query filters by the caller's user id and
 * `deleted_at is null` in SQL, so another user's model, a deleted one and a nonexistent one take
 * the same path and answer the same NOT_FOUND.
 */
import { and, count, eq, inArray, isNull, or, type Placeholder, type SQL, sql } from "drizzle-orm";
import { z } from "zod";

import {
  type ArtifactFile,
  type Database,
  datasets,
  metricsPoints,
  modelArtifacts,
  trainingJobs,
} from "@mad/db";

import { StorageObjectNotFoundError } from "@mad/storage";

import type { Context } from "../context";
import { downsampleLossCurve, type LossPoint } from "../downsample";
import { protectedProcedure, router, TRPCError } from "../trpc";

export const SIGNED_URL_TTL_SECONDS = 3600;
export const MODEL_NOT_FOUND_MESSAGE = "Model not found";

const modelId = z.uuid({ error: "must be a UUID" });

// Postgres text cannot hold NUL, and no one searches for control characters.
const searchText = z
  .string()
  .trim()
  .max(100, "must be at most 100 characters")
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "must not contain control characters");

export const listModelsInput = z
  .object({
    page: z.int().min(1).max(1_000_000).default(1),
    limit: z.int().min(1).max(100).default(12),
    sort: z.enum(["created_at", "quality"]).default("created_at"),
    q: searchText.optional(),
  })
  .prefault({});

export const modelIdInput = z.object({ modelId });

export const downloadInput = z.object({
  modelId,
  files: z
    .array(z.string().min(1).max(255))
    .min(1, "must name at least one file (or leave it out for all files)")
    .max(100)
    .optional(),
});

export const metricsInput = z.object({
  modelId,
  maxPoints: z.int().min(10).max(10_000).default(300),
});

type OwnedContext = Context & { userId: string };

function notFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: MODEL_NOT_FOUND_MESSAGE });
}

/** The caller's live artifact with this id: the condition every single-model query starts from. */
function owned(ctx: OwnedContext, id: string): SQL {
  return and(
    eq(modelArtifacts.id, id),
    eq(modelArtifacts.userId, ctx.userId),
    isNull(modelArtifacts.deletedAt),
  )!;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function progressOf(row: { status: string; bytesCopied: number; bytesTotal: number | null }) {
  if (row.status !== "processing") return null;
  return {
    bytes_copied: row.bytesCopied,
    bytes_total: row.bytesTotal,
    percent: row.bytesTotal
      ? Math.min(100, Math.floor((row.bytesCopied / row.bytesTotal) * 100))
      : null,
  };
}

// The list's ORDER BY matches the two partial indexes column for column (drizzle created them
// DESC NULLS LAST; a plain DESC would mean NULLS FIRST and force a sort).
const ORDER_BY = {
  created_at: sql`${modelArtifacts.createdAt} desc nulls last, ${modelArtifacts.id} desc nulls last`,
  quality: sql`${modelArtifacts.qualityScore} desc nulls last, ${modelArtifacts.createdAt} desc nulls last, ${modelArtifacts.id} desc nulls last`,
} as const;

export type ListModelsInput = z.output<typeof listModelsInput>;

type Param<T> = T | Placeholder;

interface ListQueryParams {
  userId: Param<string>;
  sort: ListModelsInput["sort"];
  /** The ILIKE pattern of a search, or null for no search. */
  pattern: Param<string> | null;
  limit: Param<number>;
  offset: Param<number>;
}

/** The page and count queries of models.list (exported for the EXPLAIN test and the benchmark). */
export function listModelsQueries(db: Database, userId: string, input: ListModelsInput) {
  return buildListModelsQueries(db, {
    userId,
    sort: input.sort,
    pattern: input.q ? `%${escapeLike(input.q)}%` : null,
    limit: input.limit,
    offset: (input.page - 1) * input.limit,
  });
}

function buildListModelsQueries(db: Database, params: ListQueryParams) {
  const { userId, pattern } = params;
  const conditions: SQL[] = [eq(modelArtifacts.userId, userId), isNull(modelArtifacts.deletedAt)];
  if (pattern !== null) {
    // The user's few matching datasets are found once (datasets_user_id_idx), so each artifact
    // row costs a hash probe rather than a join.
    const matchingDatasets = db
      .select({ id: datasets.id })
      .from(datasets)
      .where(and(eq(datasets.userId, userId), sql`${datasets.name} ilike ${pattern}`));
    conditions.push(
      or(
        sql`${modelArtifacts.name} ilike ${pattern}`,
        inArray(modelArtifacts.datasetId, matchingDatasets),
      )!,
    );
  }
  const where = and(...conditions);
  // The page is cut from model_artifacts alone (an ordered index scan that stops after
  // offset + limit rows); only its rows are then joined to their dataset and job.
  const page = db
    .select({
      id: modelArtifacts.id,
      name: modelArtifacts.name,
      version: modelArtifacts.version,
      status: modelArtifacts.status,
      qualityMetrics: modelArtifacts.qualityMetrics,
      qualityScore: modelArtifacts.qualityScore,
      trainingSummary: modelArtifacts.trainingSummary,
      createdAt: modelArtifacts.createdAt,
      storedAt: modelArtifacts.storedAt,
      bytesCopied: modelArtifacts.bytesCopied,
      bytesTotal: modelArtifacts.bytesTotal,
      failureReason: modelArtifacts.failureReason,
      datasetId: modelArtifacts.datasetId,
      jobId: modelArtifacts.jobId,
    })
    .from(modelArtifacts)
    .where(where)
    .orderBy(ORDER_BY[params.sort])
    .limit(params.limit)
    .offset(params.offset)
    .as("page");
  const pageOrder =
    params.sort === "quality"
      ? sql`${page.qualityScore} desc nulls last, ${page.createdAt} desc nulls last, ${page.id} desc nulls last`
      : sql`${page.createdAt} desc nulls last, ${page.id} desc nulls last`;
  const pageQuery = db
    .select({
      id: page.id,
      name: page.name,
      version: page.version,
      status: page.status,
      qualityMetrics: page.qualityMetrics,
      trainingSummary: page.trainingSummary,
      createdAt: page.createdAt,
      storedAt: page.storedAt,
      bytesCopied: page.bytesCopied,
      bytesTotal: page.bytesTotal,
      failureReason: page.failureReason,
      datasetId: page.datasetId,
      datasetName: datasets.name,
      jobId: page.jobId,
      presetId: trainingJobs.presetId,
      jobCreatedAt: trainingJobs.createdAt,
    })
    .from(page)
    .innerJoin(datasets, eq(datasets.id, page.datasetId))
    .innerJoin(trainingJobs, eq(trainingJobs.id, page.jobId))
    .orderBy(pageOrder);
  // An exact total from the same partial index (index-only or bitmap scan), no joins.
  const countQuery = db.select({ total: count() }).from(modelArtifacts).where(where);
  return { pageQuery, countQuery };
}

function prepareListModelsQueries(db: Database, sort: ListModelsInput["sort"], search: boolean) {
  const { pageQuery, countQuery } = buildListModelsQueries(db, {
    userId: sql.placeholder("userId"),
    sort,
    pattern: search ? sql.placeholder("pattern") : null,
    limit: sql.placeholder("limit"),
    offset: sql.placeholder("offset"),
  });
  const name = `models_list_${sort}${search ? "_search" : ""}`;
  return { page: pageQuery.prepare(`${name}_page`), count: countQuery.prepare(`${name}_count`) };
}

type PreparedListQueries = ReturnType<typeof prepareListModelsQueries>;

/**
 * The list is the dashboard's most requested page: its four query shapes (sort × search) are
 * built once per database, not per request (drizzle's SQL building was a tenth of the page's
 * CPU). Only the values change — the SQL text, and so Postgres's plan, are the same.
 */
const preparedListQueries = new WeakMap<Database, Map<string, PreparedListQueries>>();

function listModelsStatements(db: Database, sort: ListModelsInput["sort"], search: boolean) {
  let byShape = preparedListQueries.get(db);
  if (!byShape) preparedListQueries.set(db, (byShape = new Map<string, PreparedListQueries>()));
  const shape = `${sort}:${search}`;
  let prepared = byShape.get(shape);
  if (!prepared) byShape.set(shape, (prepared = prepareListModelsQueries(db, sort, search)));
  return prepared;
}

async function listModels(ctx: OwnedContext, input: ListModelsInput) {
  const statements = listModelsStatements(ctx.db, input.sort, Boolean(input.q));
  const values = {
    userId: ctx.userId,
    pattern: input.q ? `%${escapeLike(input.q)}%` : null,
    limit: input.limit,
    offset: (input.page - 1) * input.limit,
  };
  const [rows, [totalRow]] = await Promise.all([
    statements.page.execute(values),
    statements.count.execute(values),
  ]);
  const total = totalRow?.total ?? 0;
  return {
    models: rows.map((row) => ({
      id: row.id,
      name: row.name,
      version: row.version,
      status: row.status,
      quality_metrics: row.qualityMetrics,
      training_summary: row.trainingSummary,
      created_at: row.createdAt.toISOString(),
      stored_at: iso(row.storedAt),
      progress: progressOf(row),
      failure_reason: row.status === "failed" ? row.failureReason : null,
      dataset: { id: row.datasetId, name: row.datasetName },
      job: { id: row.jobId, preset_id: row.presetId, created_at: row.jobCreatedAt.toISOString() },
    })),
    pagination: {
      page: input.page,
      limit: input.limit,
      total,
      totalPages: Math.ceil(total / input.limit),
    },
  };
}

function publicFile(file: ArtifactFile) {
  return {
    name: file.name,
    size_bytes: file.size_bytes,
    sha256: file.sha256,
    content_type: file.content_type,
  };
}

async function modelById(ctx: OwnedContext, id: string) {
  const [row] = await ctx.db
    .select({
      artifact: modelArtifacts,
      dataset: {
        id: datasets.id,
        name: datasets.name,
        format: datasets.format,
        totalTrainingPairs: datasets.totalTrainingPairs,
      },
      job: {
        id: trainingJobs.id,
        presetId: trainingJobs.presetId,
        createdAt: trainingJobs.createdAt,
        startedAt: trainingJobs.startedAt,
        completedAt: trainingJobs.completedAt,
      },
    })
    .from(modelArtifacts)
    .innerJoin(datasets, eq(datasets.id, modelArtifacts.datasetId))
    .innerJoin(trainingJobs, eq(trainingJobs.id, modelArtifacts.jobId))
    .where(owned(ctx, id))
    .limit(1);
  if (!row) throw notFound();
  const { artifact, dataset, job } = row;
  return {
    id: artifact.id,
    name: artifact.name,
    version: artifact.version,
    status: artifact.status,
    quality_metrics: artifact.qualityMetrics,
    training_summary: artifact.trainingSummary,
    configuration: artifact.configuration,
    model_metadata: artifact.modelMetadata,
    files: artifact.files.map(publicFile),
    total_size_bytes: artifact.totalSizeBytes,
    created_at: artifact.createdAt.toISOString(),
    updated_at: artifact.updatedAt.toISOString(),
    stored_at: iso(artifact.storedAt),
    progress: progressOf(artifact),
    failure_reason: artifact.status === "failed" ? artifact.failureReason : null,
    ingestion: {
      status: artifact.status,
      bytes_copied: artifact.bytesCopied,
      bytes_total: artifact.bytesTotal,
      failure_reason: artifact.failureReason,
      attempts: artifact.ingestionAttempts,
    },
    dataset: {
      id: dataset.id,
      name: dataset.name,
      format: dataset.format,
      total_training_pairs: dataset.totalTrainingPairs,
    },
    job: {
      id: job.id,
      preset_id: job.presetId,
      created_at: job.createdAt.toISOString(),
      started_at: iso(job.startedAt),
      completed_at: iso(job.completedAt),
    },
  };
}

/** Quotes an untrusted file name for a message, short and with control characters escaped. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

async function downloadModel(ctx: OwnedContext, input: z.output<typeof downloadInput>) {
  const [artifact] = await ctx.db
    .select({
      id: modelArtifacts.id,
      name: modelArtifacts.name,
      status: modelArtifacts.status,
      files: modelArtifacts.files,
      bytesCopied: modelArtifacts.bytesCopied,
      bytesTotal: modelArtifacts.bytesTotal,
      failureReason: modelArtifacts.failureReason,
    })
    .from(modelArtifacts)
    .where(owned(ctx, input.modelId))
    .limit(1);
  if (!artifact) throw notFound();
  if (artifact.status === "processing") {
    const percent = progressOf(artifact)?.percent;
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Model is still being ingested${percent === null || percent === undefined ? "" : ` (${percent}% copied)`}; its files can be downloaded once it is ready`,
    });
  }
  if (artifact.status === "failed") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Model ingestion failed (${artifact.failureReason ?? "unknown reason"}); retry the ingestion before downloading`,
    });
  }

  let selected = artifact.files;
  if (input.files) {
    const byName = new Map(artifact.files.map((file) => [file.name, file]));
    const wanted = [...new Set(input.files)];
    const unknown = wanted.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Unknown file${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).map(quoted).join(", ")}: this model has ${artifact.files.map((f) => quoted(f.name)).join(", ")}`,
      });
    }
    selected = wanted.map((name) => byName.get(name)!);
  }

  let urls: string[];
  try {
    urls = await ctx.storage.createSignedUrls(
      selected.map((file) => ({ path: file.storage_path, downloadName: file.name })),
      SIGNED_URL_TTL_SECONDS,
    );
  } catch (error) {
    if (!(error instanceof StorageObjectNotFoundError)) throw error;
    // A stored model whose object vanished: an integrity problem for operators, and a clear
    // answer (not an opaque 500) for the user.
    const missing = selected.find((file) => file.storage_path === error.path)?.name;
    ctx.logger.error(
      { requestId: ctx.requestId, modelId: artifact.id, err: error },
      "stored model file missing from storage",
    );
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `${missing ? `File ${quoted(missing)}` : "A file"} of this model is missing from storage, so it cannot be downloaded (request id ${ctx.requestId})`,
    });
  }
  return {
    model_id: artifact.id,
    model_name: artifact.name,
    download_urls: Object.fromEntries(selected.map((file, i) => [file.name, urls[i]!])) as Record<
      string,
      string
    >,
    expires_in_seconds: SIGNED_URL_TTL_SECONDS,
  };
}

const finiteOrNull = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;

async function modelMetrics(ctx: OwnedContext, input: z.output<typeof metricsInput>) {
  const [artifact] = await ctx.db
    .select({ jobId: modelArtifacts.jobId })
    .from(modelArtifacts)
    .where(owned(ctx, input.modelId))
    .limit(1);
  if (!artifact) throw notFound();
  const rows = await ctx.db
    .select({
      step: metricsPoints.step,
      epoch: metricsPoints.epoch,
      trainingLoss: metricsPoints.trainingLoss,
      validationLoss: metricsPoints.validationLoss,
    })
    .from(metricsPoints)
    .where(eq(metricsPoints.jobId, artifact.jobId))
    .orderBy(metricsPoints.step);
  // NaN/Infinity (double precision allows them) are missing values, as in the quality score.
  const points: LossPoint[] = rows.map((row) => ({
    step: row.step,
    epoch: finiteOrNull(row.epoch),
    training_loss: finiteOrNull(row.trainingLoss),
    validation_loss: finiteOrNull(row.validationLoss),
  }));
  return { points: downsampleLossCurve(points, input.maxPoints), total_points: points.length };
}

/** Paths that may belong to this artifact: only inside its own folder, whatever a row says. */
function artifactPaths(userId: string, id: string, candidates: Iterable<string>): string[] {
  const folder = `${userId}/${id}/`;
  return [...new Set(candidates)].filter(
    (path) => path.startsWith(folder) && !path.slice(folder.length).includes("/"),
  );
}

async function deleteModel(ctx: OwnedContext, id: string) {
  const now = ctx.now();
  const [row] = await ctx.db
    .update(modelArtifacts)
    .set({ deletedAt: now, updatedAt: now })
    .where(owned(ctx, id))
    .returning({ files: modelArtifacts.files, artifacts: modelArtifacts.artifacts });
  if (!row) throw notFound();

  // The row is gone for every reader at once; the files follow. A storage failure leaves only
  // private objects that nothing signs any more, so it is logged rather than undoing the delete.
  let filesRemoved = true;
  try {
    const folder = `${ctx.userId}/${id}/`;
    const listed = await ctx.storage.list(folder);
    const paths = artifactPaths(ctx.userId, id, [
      ...row.files.map((file) => file.storage_path),
      ...Object.values(row.artifacts),
      ...listed.map((object) => object.path),
    ]);
    if (paths.length > 0) await ctx.storage.remove(paths);
  } catch (error) {
    filesRemoved = false;
    ctx.logger.error(
      { requestId: ctx.requestId, modelId: id, err: error },
      "model deleted but its files were not removed",
    );
  }
  return { model_id: id, deleted: true as const, files_removed: filesRemoved };
}

async function retryIngestion(ctx: OwnedContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(modelArtifacts)
      .set({ status: "processing", failureReason: null, bytesCopied: 0, updatedAt: ctx.now() })
      .where(and(owned(ctx, id), eq(modelArtifacts.status, "failed")))
      .returning({
        id: modelArtifacts.id,
        jobId: modelArtifacts.jobId,
        status: modelArtifacts.status,
      });
    if (!row) {
      const [existing] = await tx
        .select({ status: modelArtifacts.status })
        .from(modelArtifacts)
        .where(owned(ctx, id))
        .limit(1);
      if (!existing) throw notFound();
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: `Only a failed ingestion can be retried; this model is ${existing.status}`,
      });
    }
    // The ingester's queue function (packages/db migration 0002): it enqueues only jobs without
    // a failed artifact, hence after the update above, in the same transaction.
    const [enqueued] = await tx.execute<{ enqueued: boolean }>(
      sql`select enqueue_artifact_ingestion(${row.jobId}::uuid) as enqueued`,
    );
    return { model_id: row.id, status: row.status, enqueued: enqueued?.enqueued === true };
  });
}

export const modelsRouter = router({
  list: protectedProcedure.input(listModelsInput).query(({ ctx, input }) => listModels(ctx, input)),
  byId: protectedProcedure
    .input(modelIdInput)
    .query(({ ctx, input }) => modelById(ctx, input.modelId)),
  download: protectedProcedure
    .input(downloadInput)
    .query(({ ctx, input }) => downloadModel(ctx, input)),
  metrics: protectedProcedure
    .input(metricsInput)
    .query(({ ctx, input }) => modelMetrics(ctx, input)),
  delete: protectedProcedure
    .input(modelIdInput)
    .mutation(({ ctx, input }) => deleteModel(ctx, input.modelId)),
  retryIngestion: protectedProcedure
    .input(modelIdInput)
    .mutation(({ ctx, input }) => retryIngestion(ctx, input.modelId)),
});
