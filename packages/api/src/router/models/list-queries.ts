/**
 * The SQL of models.list: a page cut from model_artifacts alone along one of its partial indexes,
 * then joined to its datasets and jobs, and an exact count. `listModelsQueries` is exported for
 * the EXPLAIN test and the benchmark; the procedure runs the prepared `listModelsStatements`.
 */
import { and, count, eq, inArray, isNull, type Placeholder, type SQL, sql } from "drizzle-orm";

import { anyOf, type Database, datasets, modelArtifacts, trainingJobs } from "@mad/db";

import type { ListModelsInput } from "./inputs";
import { withDatasetAndJob } from "./with-dataset-and-job";

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * When the model was trained: its job's completion, which the cards show, and so what "Most
 * recent" orders by (the artifact's own created_at is when ingestion began, the same moment for
 * every model a seed or a backlog brings in). A job without a completion falls back to it.
 */
const trainedAt = sql<Date>`coalesce(${trainingJobs.completedAt}, ${modelArtifacts.createdAt})`;

// The quality ORDER BY matches its partial index column for column (drizzle created it DESC
// NULLS LAST; a plain DESC would mean NULLS FIRST and force a sort). "Most recent" sorts the
// user's rows joined to their jobs: a top-N sort of one user's few hundred rows.
const ORDER_BY = {
  created_at: sql`${trainedAt} desc, ${modelArtifacts.id} desc`,
  quality: sql`${modelArtifacts.qualityScore} desc nulls last, ${modelArtifacts.createdAt} desc nulls last, ${modelArtifacts.id} desc nulls last`,
} as const;

type Param<T> = T | Placeholder;

interface ListQueryParams {
  userId: Param<string>;
  sort: ListModelsInput["sort"];
  /** The ILIKE pattern of a search, or null for no search. */
  pattern: Param<string> | null;
  limit: Param<number>;
  offset: Param<number>;
}

/** The values of one request, for the built queries and the prepared statements alike. */
export function listQueryValues(userId: string, input: ListModelsInput) {
  return {
    userId,
    pattern: input.q ? `%${escapeLike(input.q)}%` : null,
    limit: input.limit,
    offset: (input.page - 1) * input.limit,
  };
}

/** The page and count queries of models.list (exported for the EXPLAIN test and the benchmark). */
export function listModelsQueries(db: Database, userId: string, input: ListModelsInput) {
  return buildListModelsQueries(db, { sort: input.sort, ...listQueryValues(userId, input) });
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
      anyOf(
        sql`${modelArtifacts.name} ilike ${pattern}`,
        inArray(modelArtifacts.datasetId, matchingDatasets),
        // Tags match like names do (a part of a tag finds it); a model has at most 20.
        sql`exists (select 1 from unnest(${modelArtifacts.tags}) as tag where tag ilike ${pattern})`,
      ),
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
      tags: modelArtifacts.tags,
      datasetId: modelArtifacts.datasetId,
      jobId: modelArtifacts.jobId,
      trainedAt: trainedAt.as("trained_at"),
    })
    .from(modelArtifacts)
    .innerJoin(trainingJobs, eq(trainingJobs.id, modelArtifacts.jobId))
    .where(where)
    .orderBy(ORDER_BY[params.sort])
    .limit(params.limit)
    .offset(params.offset)
    .as("page");
  const pageOrder =
    params.sort === "quality"
      ? sql`${page.qualityScore} desc nulls last, ${page.createdAt} desc nulls last, ${page.id} desc nulls last`
      : sql`${page.trainedAt} desc, ${page.id} desc`;
  const pageQuery = withDatasetAndJob(
    db
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
        tags: page.tags,
        datasetId: page.datasetId,
        datasetName: datasets.name,
        jobId: page.jobId,
        presetId: trainingJobs.presetId,
        jobCreatedAt: trainingJobs.createdAt,
        jobCompletedAt: trainingJobs.completedAt,
      })
      .from(page)
      .$dynamic(),
    page,
  ).orderBy(pageOrder);
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

export function listModelsStatements(db: Database, sort: ListModelsInput["sort"], search: boolean) {
  let byShape = preparedListQueries.get(db);
  if (!byShape) preparedListQueries.set(db, (byShape = new Map<string, PreparedListQueries>()));
  const shape = `${sort}:${search}`;
  let prepared = byShape.get(shape);
  if (!prepared) byShape.set(shape, (prepared = prepareListModelsQueries(db, sort, search)));
  return prepared;
}
