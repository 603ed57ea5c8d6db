import { Link } from "@remix-run/react";

import type { RouterOutputs } from "@mad/api";

import { formatBytes, formatCost, formatDate } from "../lib/format";
import { CompareCheckbox } from "./CompareSelection";
import { QualityBadge, Stars, StatusBadge } from "./Quality";

type ApiListedModel = RouterOutputs["models"]["list"]["models"][number];

/** Just what a card shows: the page's hydration data stays small. */
export function toCardModel(model: ApiListedModel) {
  return {
    id: model.id,
    name: model.name,
    status: model.status,
    score: model.quality_metrics?.overall_score ?? null,
    convergence: model.quality_metrics?.convergence_quality ?? "unknown",
    datasetName: model.dataset.name,
    // When the model was trained (its job's completion): what "Most recent" orders by.
    trainedAt: model.job.completed_at ?? model.created_at,
    totalCost: model.training_summary?.total_cost ?? null,
    progress: model.progress,
    failureReason: model.failure_reason,
  };
}

export type ListedModel = ReturnType<typeof toCardModel>;

export function ModelCard({
  model,
  back,
  onCompareToggle,
}: {
  model: ListedModel;
  back: string;
  /** Shown with a "Compare" checkbox when the list offers comparing. */
  onCompareToggle?: (id: string, checked: boolean) => void;
}) {
  const href =
    back === "/models"
      ? `/models/${model.id}`
      : `/models/${model.id}?back=${encodeURIComponent(back)}`;
  return (
    <li
      className="card relative flex flex-col gap-4 p-5 transition-shadow focus-within:outline-3 focus-within:outline-offset-2 focus-within:outline-indigo-600 hover:shadow-md"
      data-testid="model-card"
    >
      <div className="flex items-start justify-between gap-3">
        <h2 className="text-base leading-snug font-semibold text-slate-900">
          <Link
            to={href}
            className="after:absolute after:inset-0 focus-visible:outline-none"
            prefetch="intent"
          >
            {model.name}
          </Link>
        </h2>
        {model.status === "stored" ? (
          <QualityBadge quality={model.convergence} />
        ) : (
          <StatusBadge status={model.status} />
        )}
      </div>
      <div className="flex items-center gap-2">
        <Stars score={model.status === "stored" ? model.score : null} />
      </div>
      {model.status === "processing" && model.progress && (
        <div className="space-y-1">
          <progress
            className="h-2 w-full overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600"
            value={model.progress.bytes_copied}
            max={model.progress.bytes_total ?? undefined}
            aria-label={`Copying files for ${model.name}`}
          />
          <p className="text-xs text-slate-700">
            {formatBytes(model.progress.bytes_copied)}
            {model.progress.bytes_total
              ? ` of ${formatBytes(model.progress.bytes_total)}`
              : ""}{" "}
            copied
            {model.progress.percent !== null ? ` (${model.progress.percent} %)` : ""}
          </p>
        </div>
      )}
      {model.status === "failed" && (
        <p className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-900">
          <span className="font-semibold">Ingestion failed: </span>
          {model.failureReason ?? "unknown reason"}
        </p>
      )}
      <dl className="mt-auto grid grid-cols-2 gap-x-4 gap-y-2 border-t border-slate-100 pt-3 text-sm">
        <div className="col-span-2">
          <dt className="sr-only">Dataset</dt>
          <dd className="truncate text-slate-700" title={model.datasetName}>
            <span aria-hidden="true" className="text-slate-600">
              Dataset ·{" "}
            </span>
            {model.datasetName}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Trained</dt>
          <dd className="font-medium text-slate-800">
            <time dateTime={model.trainedAt} data-testid="trained-at">
              {formatDate(model.trainedAt)}
            </time>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Total cost</dt>
          <dd className="font-medium text-slate-800 tabular-nums">{formatCost(model.totalCost)}</dd>
        </div>
      </dl>
      {onCompareToggle && (
        <CompareCheckbox modelId={model.id} modelName={model.name} onToggle={onCompareToggle} />
      )}
    </li>
  );
}
