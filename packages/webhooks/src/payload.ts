/**
 * What a receiver gets: the shape the outbox trigger writes (migrations 0007, 0010), with the
 * verdict's reasons added by the delivery worker (@mad/quality's explainQuality), plus envelope.
 */
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = ["model.ready", "model.failed", "model.deleted"] as const;
export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

export const webhookPayloadSchema = z.object({
  type: webhookEventTypeSchema,
  timestamp: z.string(),
  data: z.object({
    model: z.object({
      id: z.uuid(),
      name: z.string(),
      version: z.string(),
      status: z.enum(["processing", "stored", "failed"]),
      job_id: z.uuid(),
      page_url: z.string(),
      dataset: z.object({ id: z.uuid(), name: z.string().nullable() }),
      verdict: z
        .object({
          score: z.number().int().min(1).max(5).nullable(),
          convergence: z.string(),
          /** Why the score is what it is, in plain words: the model page's "Why this score". */
          reasons: z.array(z.string()),
          /** The numbers the score comes from (SPEC §5), null where there are none. */
          metrics: z.object({
            final_training_loss: z.number().nullable(),
            final_validation_loss: z.number().nullable(),
            perplexity: z.number().nullable(),
            loss_reduction_percent: z.number().nullable(),
          }),
        })
        .nullable(),
      files: z.array(
        z.object({
          name: z.string(),
          size_bytes: z.number().int().nonnegative(),
          sha256: z.string(),
        }),
      ),
      total_size_bytes: z.number().nullable(),
      failure_reason: z.string().nullable(),
      stored_at: z.string().nullable(),
      deleted_at: z.string().nullable(),
    }),
  }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
