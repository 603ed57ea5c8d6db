import {
  formatCost,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatNumber,
} from "../../lib/format";
import { DetailList, Section } from "./Section";
import type { ModelDetail } from "./types";

/** What the training job did: epochs, steps, time, cost, final loss. */
export function TrainingSummarySection({ model }: { model: ModelDetail }) {
  const summary = model.training_summary;
  return (
    <Section id="summary-title" title="Training summary">
      <DetailList
        valueClassName="font-semibold text-slate-900 tabular-nums"
        rows={[
          ["Epochs", formatInteger(summary?.epochs_completed)],
          ["Steps", formatInteger(summary?.total_steps)],
          ["Duration", formatDuration(summary?.training_duration_hours)],
          ["Total cost", formatCost(summary?.total_cost)],
          ["Final loss", formatNumber(summary?.final_loss)],
          ["Completed", formatDateTime(model.job.completed_at)],
        ]}
      />
    </Section>
  );
}
