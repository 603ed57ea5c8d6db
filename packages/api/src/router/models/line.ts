/**
 * models.line: the model's line (the caller's models of its dataset) with each model's version,
 * the aliases and who moved them when (docs/decisions/0020). Another user's model is NOT_FOUND.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";

import { datasets, inModelLine, modelArtifacts, modelLineAliases } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { modelIdInput } from "./inputs";
import { notFound, owned } from "./ownership";

export async function modelLine(ctx: AuthenticatedContext, id: string) {
  const [model] = await ctx.db
    .select({ datasetId: modelArtifacts.datasetId, datasetName: datasets.name })
    .from(modelArtifacts)
    .innerJoin(datasets, eq(datasets.id, modelArtifacts.datasetId))
    .where(owned(ctx, id))
    .limit(1);
  if (!model) throw notFound();
  const [models, { aliases, moves }] = await Promise.all([
    ctx.db
      .select({
        id: modelArtifacts.id,
        name: modelArtifacts.name,
        version: modelArtifacts.version,
        status: modelArtifacts.status,
        createdAt: modelArtifacts.createdAt,
      })
      .from(modelArtifacts)
      .where(
        and(
          inModelLine(modelArtifacts, { userId: ctx.userId, datasetId: model.datasetId }),
          isNull(modelArtifacts.deletedAt),
        ),
      )
      .orderBy(
        asc(sql`split_part(${modelArtifacts.version}, '.', 1)::int`),
        asc(modelArtifacts.id),
      ),
    modelLineAliases(ctx.db, { userId: ctx.userId, datasetId: model.datasetId }),
  ]);
  // A move names the version it came from and went to, also for models deleted since.
  const versionOf = new Map(models.map((row) => [row.id, row.version]));
  const ref = (artifactId: string | null) =>
    artifactId === null
      ? null
      : { model_id: artifactId, version: versionOf.get(artifactId) ?? null };
  return {
    dataset: { id: model.datasetId, name: model.datasetName },
    models: models.map((row) => ({
      id: row.id,
      name: row.name,
      version: row.version,
      status: row.status,
      created_at: iso(row.createdAt),
      aliases: aliases.filter((a) => a.artifactId === row.id).map((a) => a.alias),
    })),
    aliases: aliases.map((a) => ({
      alias: a.alias,
      model_id: a.artifactId,
      version: versionOf.get(a.artifactId) ?? null,
      moved_at: iso(a.movedAt),
    })),
    moves: moves.map((move) => ({
      alias: move.alias,
      from: ref(move.fromArtifactId),
      to: ref(move.toArtifactId),
      moved_by: move.movedBy,
      moved_at: iso(move.movedAt),
    })),
  };
}

export const modelLineProcedure = protectedProcedure
  .input(modelIdInput)
  .query(({ ctx, input }) => modelLine(ctx, input.modelId));
