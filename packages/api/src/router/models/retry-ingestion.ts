/**
 * models.retryIngestion: a failed artifact goes back to processing and its job is enqueued again
 * (the lifecycle's retryFailedIngestion; the transition itself is SQL's retry_artifact_ingestion).
 */
import { retryFailedIngestion } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { modelIdInput } from "./inputs";
import { notFound } from "./ownership";

export async function retryIngestion(ctx: AuthenticatedContext, id: string) {
  const result = await retryFailedIngestion(ctx.db, { userId: ctx.userId, artifactId: id });
  if (result.status === "not-found") throw notFound();
  if (result.status === "not-failed") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Only a failed ingestion can be retried; this model is ${result.current}`,
    });
  }
  return { model_id: result.artifactId, status: "processing" as const, enqueued: result.enqueued };
}

export const retryIngestionProcedure = protectedProcedure
  .input(modelIdInput)
  .mutation(({ ctx, input }) => retryIngestion(ctx, input.modelId));
