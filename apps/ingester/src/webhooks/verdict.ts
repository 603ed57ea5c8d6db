/**
 * The verdict a receiver gets: the outbox trigger snapshots the score's numbers (SQL cannot say
 * why in words), and the reasons are added here with @mad/quality's explainQuality, the same
 * sentences as the model page's "Why this score" (decision 0017).
 */
import { asConvergenceQuality, explainQuality } from "@mad/quality";
import type { WebhookPayload } from "@mad/webhooks";

export type Verdict = NonNullable<WebhookPayload["data"]["model"]["verdict"]>;

const METRIC_NAMES = [
  "final_training_loss",
  "final_validation_loss",
  "perplexity",
  "loss_reduction_percent",
] as const;

const asRecord = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

const numberOrNull = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/** True once the stored verdict already has its sentences (or there is no verdict). */
export function hasReasons(verdict: unknown): boolean {
  const record = asRecord(verdict);
  return record === null || Array.isArray(record.reasons);
}

/**
 * The stored snapshot as the payload's verdict, with its reasons. Reads both snapshot shapes:
 * `metrics` (migration 0010) and the numbers under `reasons` (events written before 0010).
 */
export function verdictWithReasons(stored: unknown): Verdict | null {
  const record = asRecord(stored);
  if (!record) return null;
  const numbers = asRecord(record.metrics) ?? asRecord(record.reasons) ?? {};
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((name) => [name, numberOrNull(numbers[name])]),
  ) as Verdict["metrics"];
  const score = numberOrNull(record.score);
  const convergence = asConvergenceQuality(record.convergence);
  return {
    score,
    convergence,
    reasons: explainQuality({
      overall_score: score,
      convergence_quality: convergence,
      final_training_loss: metrics.final_training_loss,
      final_validation_loss: metrics.final_validation_loss,
      loss_reduction_percent: metrics.loss_reduction_percent,
    }),
    metrics,
  };
}
