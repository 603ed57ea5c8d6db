import {
  type ChartMarker,
  finiteSeries,
  type LossPoint,
  ordinal,
  type SeriesPoint,
} from "../lib/chart";
import { formatNumber } from "../lib/format";
import { CHART_VARIANTS, LossChartSvg } from "./LossChartSvg";

const MAX_TABLE_ROWS = 200;

function describe(series: SeriesPoint[], name: string): string | null {
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last) return null;
  return `${name} loss went from ${formatNumber(first.value, 3)} at step ${first.step} to ${formatNumber(last.value, 3)} at step ${last.step} (${series.length} logged ${series.length === 1 ? "value" : "values"}).`;
}

/**
 * Training and validation loss as an SVG drawn on the server: readable without JavaScript, with
 * a text summary for screen readers and the numbers as a table. Every point it is given is drawn:
 * the API's `models.metrics` already downsamples a long history to what a chart can show.
 */
export function LossChart({
  points,
  markers = [],
}: {
  points: LossPoint[];
  markers?: ChartMarker[];
}) {
  const training = finiteSeries(points, "training_loss");
  const validation = finiteSeries(points, "validation_loss");
  const all = [...training, ...validation];

  if (all.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600">
        No loss values were logged for this training job, so there is no curve to draw.
      </p>
    );
  }

  const shownMarkers = markers.filter((m) => Number.isFinite(m.step));
  const summary = [
    describe(training, "Training"),
    describe(validation, "Validation"),
    ...shownMarkers.map((m) => `Marked: ${m.label} at step ${m.step}.`),
  ]
    .filter(Boolean)
    .join(" ");

  const rows = points.filter(
    (p) => Number.isFinite(p.training_loss ?? NaN) || Number.isFinite(p.validation_loss ?? NaN),
  );
  const stride = Math.max(1, Math.ceil(rows.length / MAX_TABLE_ROWS));
  const tableRows = rows.filter(
    (p, i) => i % stride === 0 || i === rows.length - 1 || p.validation_loss !== null,
  );

  return (
    <figure className="space-y-3">
      <div
        className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm text-slate-700"
        aria-hidden="true"
      >
        <span className="inline-flex items-center gap-2">
          <svg width="28" height="10">
            <line x1="0" y1="5" x2="28" y2="5" className="stroke-indigo-600" strokeWidth="3" />
          </svg>
          Training loss
        </span>
        {validation.length > 0 && (
          <span className="inline-flex items-center gap-2">
            <svg width="28" height="10">
              <line
                x1="0"
                y1="5"
                x2="28"
                y2="5"
                className="stroke-orange-600"
                strokeWidth="3"
                strokeDasharray="6 4"
              />
            </svg>
            Validation loss
          </span>
        )}
      </div>
      {CHART_VARIANTS.map(({ variant, className }) => (
        <LossChartSvg
          key={variant}
          variant={variant}
          training={training}
          validation={validation}
          markers={shownMarkers}
          summary={summary}
          className={className}
        />
      ))}
      <figcaption className="text-sm text-slate-600">{summary}</figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-indigo-700">
          Show the values as a table
        </summary>
        {/* Focusable and named: a keyboard user can scroll it too (axe scrollable-region-focusable). */}
        <div
          className="mt-2 max-h-80 overflow-auto rounded-lg border border-slate-200"
          tabIndex={0}
          role="region"
          aria-label="Loss values by step"
        >
          <table className="w-full text-left tabular-nums">
            <caption className="sr-only">Loss values by step</caption>
            <thead className="sticky top-0 bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-1.5">
                  Step
                </th>
                <th scope="col" className="px-3 py-1.5">
                  Training loss
                </th>
                <th scope="col" className="px-3 py-1.5">
                  Validation loss
                </th>
              </tr>
            </thead>
            <tbody>
              {tableRows.map((p) => (
                <tr key={p.step} className="border-t border-slate-100">
                  <td className="px-3 py-1">{p.step}</td>
                  <td className="px-3 py-1">{formatNumber(p.training_loss)}</td>
                  <td className="px-3 py-1">{formatNumber(p.validation_loss)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {stride > 1 && (
          <p className="mt-1 text-slate-600">
            Every {ordinal(stride)} step shown ({rows.length} steps logged), plus every validation
            step.
          </p>
        )}
      </details>
    </figure>
  );
}
