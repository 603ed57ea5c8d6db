import { asConvergenceQuality } from "@mad/quality";
import { explainQuality } from "@mad/quality";

import { formatNumber, formatPercent } from "../../lib/format";
import { QualityBadge } from "../Quality";
import { Facts, Section } from "./Section";
import type { ModelDetail } from "./types";

/** Why the score is what it is, in plain words (or why there is none yet). */
function scoreReasons(model: ModelDetail): string[] {
  const quality = model.quality_metrics;
  if (model.status !== "stored" && !quality) {
    return [
      model.status === "processing"
        ? "The score is computed from the loss history once the files are stored."
        : "The score is computed once ingestion succeeds; retry the ingestion above.",
    ];
  }
  return explainQuality(
    quality
      ? { ...quality, convergence_quality: asConvergenceQuality(quality.convergence_quality) }
      : null,
  );
}

/** The SPEC §5 metrics and the "Why this score" explanation. */
export function QualitySection({ model }: { model: ModelDetail }) {
  const quality = model.quality_metrics;
  return (
    <Section id="quality-title" title="Quality">
      <Facts
        items={[
          ["Score", quality?.overall_score ? `${quality.overall_score} / 5` : "Not rated"],
          [
            "Convergence",
            <QualityBadge key="b" quality={asConvergenceQuality(quality?.convergence_quality)} />,
          ],
          ["Loss reduction", formatPercent(quality?.loss_reduction_percent)],
          ["Final training loss", formatNumber(quality?.final_training_loss)],
          ["Final validation loss", formatNumber(quality?.final_validation_loss)],
          ["Perplexity", formatNumber(quality?.perplexity, 3)],
        ]}
      />
      <div
        className="mt-5 rounded-lg bg-slate-50 p-4 text-sm text-slate-800"
        data-testid="quality-explanation"
      >
        <h3 className="font-semibold text-slate-900">Why this score</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {scoreReasons(model).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
    </Section>
  );
}
