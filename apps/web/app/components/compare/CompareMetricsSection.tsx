import { asConvergenceQuality } from "@mad/quality";

import {
  formatCost,
  formatDate,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
} from "../../lib/format";
import { CONVERGENCE_LABEL } from "../../lib/quality";
import { Section } from "../model/Section";
import { ComparisonTable } from "./ComparisonTable";
import type { ComparedModel } from "./types";

/**
 * The compared models' facts and metrics in one table, a column per model. Rows are metrics so
 * a reader compares across a row; the table scrolls inside its card on a phone instead of
 * widening the page.
 */
export function CompareMetricsSection({ models }: { models: ComparedModel[] }) {
  const rows: [string, (model: ComparedModel) => string][] = [
    ["Dataset", (m) => m.dataset.name],
    ["Status", (m) => m.status],
    ["Completed", (m) => formatDate(m.completed_at)],
    [
      "Quality",
      (m) =>
        m.quality_metrics
          ? `${m.quality_metrics.overall_score ?? "–"}/5 · ${CONVERGENCE_LABEL[asConvergenceQuality(m.quality_metrics.convergence_quality)]}`
          : "Not computed yet",
    ],
    ["Final training loss", (m) => formatNumber(m.quality_metrics?.final_training_loss)],
    ["Final validation loss", (m) => formatNumber(m.quality_metrics?.final_validation_loss)],
    ["Perplexity", (m) => formatNumber(m.quality_metrics?.perplexity)],
    ["Loss reduction", (m) => formatPercent(m.quality_metrics?.loss_reduction_percent)],
    ["Best step", (m) => (m.best_step ? formatInteger(m.best_step.step) : "–")],
    ["Epochs", (m) => formatInteger(m.training_summary?.epochs_completed)],
    ["Steps", (m) => formatInteger(m.training_summary?.total_steps)],
    ["Training time", (m) => formatDuration(m.training_summary?.training_duration_hours)],
    ["Cost", (m) => formatCost(m.training_summary?.total_cost)],
  ];
  return (
    <Section id="compare-metrics" title="Metrics">
      <ComparisonTable
        label="Metrics table"
        caption="Metrics of the compared models, one column per model"
        firstColumn="Metric"
        models={models}
        linkNames
      >
        {rows.map(([label, value]) => (
          <tr key={label} className="border-t border-slate-200">
            <th scope="row" className="py-2 pr-4 font-medium text-slate-700">
              {label}
            </th>
            {models.map((model) => (
              <td key={model.id} className="py-2 pr-4 tabular-nums">
                {value(model)}
              </td>
            ))}
          </tr>
        ))}
      </ComparisonTable>
    </Section>
  );
}
