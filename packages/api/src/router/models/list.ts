/** models.list: one page of the caller's models, newest or best first, optionally searched. */
import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { type ListModelsInput, listModelsInput } from "./inputs";
import { listModelsStatements, listQueryValues } from "./list-queries";
import { artifactSummary } from "./output";

export async function listModels(ctx: AuthenticatedContext, input: ListModelsInput) {
  const statements = listModelsStatements(ctx.db, input.sort, Boolean(input.q));
  const values = listQueryValues(ctx.userId, input);
  const [rows, [totalRow]] = await Promise.all([
    statements.page.execute(values),
    statements.count.execute(values),
  ]);
  const total = totalRow?.total ?? 0;
  return {
    models: rows.map((row) => ({
      ...artifactSummary(row),
      tags: row.tags,
      dataset: { id: row.datasetId, name: row.datasetName },
      job: {
        id: row.jobId,
        preset_id: row.presetId,
        created_at: iso(row.jobCreatedAt),
        completed_at: iso(row.jobCompletedAt),
      },
    })),
    pagination: {
      page: input.page,
      limit: input.limit,
      total,
      totalPages: Math.ceil(total / input.limit),
    },
  };
}

export const listModelsProcedure = protectedProcedure
  .input(listModelsInput)
  .query(({ ctx, input }) => listModels(ctx, input));
