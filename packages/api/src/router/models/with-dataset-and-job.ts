/**
 * An artifact query joined to its dataset and training job. Both always exist (foreign keys), so
 * the joins are inner; the selection stays the caller's, so the result type does not change.
 */
import { eq, type SQLWrapper } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";

import { datasets, trainingJobs } from "@mad/db";

export function withDatasetAndJob<Query extends PgSelect>(
  query: Query,
  artifact: { datasetId: SQLWrapper; jobId: SQLWrapper },
) {
  return query
    .innerJoin(datasets, eq(datasets.id, artifact.datasetId))
    .innerJoin(trainingJobs, eq(trainingJobs.id, artifact.jobId));
}
