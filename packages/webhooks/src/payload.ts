/** What a receiver gets: the shape the outbox trigger (migration 0007) writes, plus envelope. */
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
          reasons: z.record(z.string(), z.number().nullable()),
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
