import { Link } from "@remix-run/react";

import { type Alignment, compareSeries } from "../../lib/compare-series";
import { CHART_VARIANTS } from "../LossChartSvg";
import { Section } from "../model/Section";
import { CompareChart, modelStyle, ModelSymbol } from "./CompareChart";
import type { ComparedModel } from "./types";

/**
 * Every model's training and validation curve on one chart, by step or by epoch. The switch is
 * two links (the alignment lives in the URL like the selection), so it works without JavaScript.
 */
export function CompareCurvesSection({
  models,
  ids,
  align,
}: {
  models: ComparedModel[];
  ids: string[];
  align: Alignment;
}) {
  const series = models.map((model) => compareSeries(model.loss.points, align));
  const names = models.map((model) => model.name);
  const href = (to: Alignment) => {
    const query = new URLSearchParams(ids.map((id): [string, string] => ["ids", id]));
    query.set("align", to);
    return `/models/compare?${query.toString()}`;
  };
  const options: [Alignment, string][] = [
    ["step", "By step"],
    ["epoch", "By epoch"],
  ];
  return (
    <Section
      id="compare-curves"
      title="Loss curves"
      aside={
        <nav aria-label="Align the curves" className="flex gap-2 text-sm">
          {options.map(([value, label]) => (
            <Link
              key={value}
              to={href(value)}
              aria-current={align === value ? "true" : undefined}
              className={
                align === value
                  ? "rounded border-2 border-indigo-700 px-2 py-1 font-semibold text-indigo-900"
                  : "rounded border border-slate-300 px-2 py-1 text-indigo-700 underline"
              }
            >
              {label}
            </Link>
          ))}
        </nav>
      }
    >
      <figure className="space-y-3">
        <ul aria-label="Legend" className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-700">
          {models.map((model, index) => {
            const style = modelStyle(index);
            return (
              <li
                key={model.id}
                className="inline-flex min-w-0 items-center gap-2"
                data-legend-model={index}
              >
                <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
                  <ModelSymbol style={style} cx={7} cy={7} />
                </svg>
                <span className="break-all">{model.name}</span>
              </li>
            );
          })}
          <li>Solid: training · dashed: validation</li>
        </ul>
        {series.every((s) => s.training.length + s.validation.length === 0) ? (
          <p className="text-sm text-slate-600">
            {align === "epoch"
              ? "These models recorded no epochs with their losses: align by step instead."
              : "These models have no loss history."}
          </p>
        ) : (
          CHART_VARIANTS.map(({ variant, className }) => (
            <CompareChart
              key={variant}
              variant={variant}
              series={series}
              names={names}
              align={align}
              className={className}
            />
          ))
        )}
      </figure>
    </Section>
  );
}
