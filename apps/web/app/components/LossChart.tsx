import type { ComponentProps } from "react";

import { finiteSeries, type LossPoint, niceTicks, type SeriesPoint, tickLabel } from "../lib/chart";
import { formatNumber } from "../lib/format";

const WIDTH = 760;
const HEIGHT = 320;
const MARGIN = { top: 16, right: 20, bottom: 48, left: 64 };
const MAX_TABLE_ROWS = 200;

function path(
  series: SeriesPoint[],
  x: (step: number) => number,
  y: (value: number) => number,
): string {
  return series
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join("");
}

function describe(series: SeriesPoint[], name: string): string | null {
  if (series.length === 0) return null;
  const first = series[0]!;
  const last = series[series.length - 1]!;
  return `${name} loss went from ${formatNumber(first.value, 3)} at step ${first.step} to ${formatNumber(last.value, 3)} at step ${last.step} (${series.length} logged ${series.length === 1 ? "value" : "values"}).`;
}

const SERIES_STROKE = {
  training: { className: "stroke-indigo-600", strokeWidth: "2" },
  validation: { className: "stroke-orange-600", strokeWidth: "2.5", strokeDasharray: "6 4" },
} as const;

/** One loss series as a line through all of its points. */
function SeriesPath({
  name,
  series,
  x,
  y,
}: {
  name: keyof typeof SERIES_STROKE;
  series: SeriesPoint[];
  x: (step: number) => number;
  y: (value: number) => number;
}) {
  return (
    <path
      d={path(series, x, y)}
      fill="none"
      {...SERIES_STROKE[name]}
      strokeLinejoin="round"
      data-series={name}
      data-drawn-points={series.length}
    />
  );
}

/** A tick of an axis: its mark (or grid line) and its label. */
function Tick({
  value,
  line,
  lineClassName,
  label,
}: {
  value: number;
  line: { x1: number; x2: number; y1: number; y2: number };
  lineClassName: string;
  label: ComponentProps<"text">;
}) {
  return (
    <g>
      <line {...line} className={lineClassName} />
      <text {...label} className="fill-slate-600 text-[12px]">
        {tickLabel(value)}
      </text>
    </g>
  );
}

/**
 * Training and validation loss as an SVG drawn on the server: readable without JavaScript, with
 * a text summary for screen readers and the numbers as a table. Every point it is given is drawn:
 * the API's `models.metrics` already downsamples a long history to what a chart can show.
 */
export function LossChart({ points }: { points: LossPoint[] }) {
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

  const steps = all.map((p) => p.step);
  const values = all.map((p) => p.value);
  const xTicks = niceTicks(Math.min(...steps), Math.max(...steps), 6);
  const yTicks = niceTicks(Math.min(...values), Math.max(...values), 5);
  const xMin = xTicks[0]!;
  const xMax = xTicks[xTicks.length - 1]!;
  const yMin = yTicks[0]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (step: number) => MARGIN.left + ((step - xMin) / (xMax - xMin || 1)) * plotW;
  const plotBottom = MARGIN.top + plotH;
  const y = (value: number) => plotBottom - ((value - yMin) / (yMax - yMin || 1)) * plotH;

  const axes = [
    {
      name: "x",
      line: { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: plotBottom, y2: plotBottom },
    },
    { name: "y", line: { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: plotBottom } },
  ];
  const summary = [describe(training, "Training"), describe(validation, "Validation")]
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
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="loss-chart-title loss-chart-desc"
        data-training-points={training.length}
        data-validation-points={validation.length}
        data-first-step={training[0]?.step ?? validation[0]?.step}
        data-last-step={
          training[training.length - 1]?.step ?? validation[validation.length - 1]?.step
        }
      >
        <title id="loss-chart-title">Loss by training step</title>
        <desc id="loss-chart-desc">{summary}</desc>
        {yTicks.map((tick) => (
          <Tick
            key={`y${tick}`}
            value={tick}
            line={{ x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick) }}
            lineClassName="stroke-slate-200"
            label={{
              x: MARGIN.left - 8,
              y: y(tick),
              textAnchor: "end",
              dominantBaseline: "middle",
            }}
          />
        ))}
        {xTicks.map((tick) => (
          <Tick
            key={`x${tick}`}
            value={tick}
            line={{ x1: x(tick), x2: x(tick), y1: plotBottom, y2: plotBottom + 5 }}
            lineClassName="stroke-slate-500"
            label={{ x: x(tick), y: plotBottom + 20, textAnchor: "middle" }}
          />
        ))}
        {axes.map((axis) => (
          <line key={axis.name} {...axis.line} className="stroke-slate-500" />
        ))}
        <text
          x={MARGIN.left + plotW / 2}
          y={HEIGHT - 6}
          textAnchor="middle"
          className="fill-slate-700 text-[13px]"
        >
          Step
        </text>
        <text
          transform={`translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)`}
          textAnchor="middle"
          className="fill-slate-700 text-[13px]"
        >
          Loss
        </text>
        <SeriesPath name="training" series={training} x={x} y={y} />
        {validation.length > 0 && <SeriesPath name="validation" series={validation} x={x} y={y} />}
        {validation.length <= 60 &&
          validation.map((p) => (
            <circle
              key={p.step}
              cx={x(p.step)}
              cy={y(p.value)}
              r="3.5"
              className="fill-white stroke-orange-600"
              strokeWidth="2"
            />
          ))}
      </svg>
      <figcaption className="text-sm text-slate-600">{summary}</figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-indigo-700">
          Show the values as a table
        </summary>
        <div className="mt-2 max-h-80 overflow-auto rounded-lg border border-slate-200">
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
            Every {stride}th step shown ({rows.length} steps logged), plus every validation step.
          </p>
        )}
      </details>
    </figure>
  );
}
