/** models.retryIngestion: puts a failed artifact back to processing and enqueues its job again. */
import { and, eq, sql } from "drizzle-orm";

import { modelArtifacts } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { modelIdInput } from "./inputs";
import { notFound, owned } from "./ownership";

export async function retryIngestion(ctx: AuthenticatedContext, id: string) {
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

export const retryIngestionProcedure = protectedProcedure
  .input(modelIdInput)
  .mutation(({ ctx, input }) => retryIngestion(ctx, input.modelId));
