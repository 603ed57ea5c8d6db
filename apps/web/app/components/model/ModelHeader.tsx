import { Link } from "@remix-run/react";

import { asConvergenceQuality } from "@mad/quality";

import { formatDateTime, formatInteger } from "../../lib/format";
import { QualityBadge, Stars, StatusBadge } from "../Quality";
import type { ModelDetail } from "./types";

/** The way back to the list, the model's name, its stars (or status) and its dataset. */
export function ModelHeader({ model, back }: { model: ModelDetail; back: string }) {
  const stored = model.status === "stored";
  return (
    <>
      <Link
        to={back}
        className="link inline-flex items-center gap-1 text-sm"
        data-testid="back-link"
      >
        <span aria-hidden="true">←</span> Back to models
      </Link>

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">
            {model.name}
          </h1>
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
            <Stars
              score={stored ? (model.quality_metrics?.overall_score ?? null) : null}
              size="lg"
            />
            {stored ? (
              <QualityBadge
                quality={asConvergenceQuality(model.quality_metrics?.convergence_quality)}
              />
            ) : (
              <StatusBadge status={model.status} />
            )}
            <span>
              Dataset <span className="font-semibold text-slate-900">{model.dataset.name}</span> ·{" "}
              {formatInteger(model.dataset.total_training_pairs)} pairs ({model.dataset.format})
            </span>
            {model.job.completed_at && (
              <span>
                Trained{" "}
                <time dateTime={model.job.completed_at} data-testid="trained-at">
                  {formatDateTime(model.job.completed_at)}
                </time>
              </span>
            )}
            <span>Version {model.version}</span>
          </div>
        </div>
      </header>
    </>
  );
}
