import { chartGeometry, type ChartLayout, type ChartMarker, type SeriesPoint } from "../lib/chart";
import { ChartAxes } from "./ChartAxes";

/**
 * Two drawings of the same chart: a wide one for tablets and desktops, and a narrow one with
 * fewer ticks for phones. An SVG scales its text with its width, so one drawing cannot have
 * readable labels at both 390 px and 1280 px; CSS shows the one that fits.
 */
export const LAYOUTS = {
  wide: {
    width: 760,
    height: 320,
    margin: { top: 16, right: 20, bottom: 48, left: 64 },
    xTickCount: 6,
    yTickCount: 5,
  },
  narrow: {
    width: 360,
    height: 280,
    margin: { top: 12, right: 14, bottom: 44, left: 50 },
    xTickCount: 4,
    yTickCount: 4,
  },
} as const satisfies Record<string, ChartLayout>;

export type ChartVariant = keyof typeof LAYOUTS;

/** Both drawings, each with the CSS that shows it only at the widths it is made for. */
export const CHART_VARIANTS: { variant: ChartVariant; className: string }[] = [
  { variant: "wide", className: "hidden sm:block" },
  { variant: "narrow", className: "sm:hidden" },
];

const SERIES_STROKE = {
  training: { className: "stroke-indigo-600", strokeWidth: "2" },
  validation: { className: "stroke-orange-600", strokeWidth: "2.5", strokeDasharray: "6 4" },
} as const;

const MARKER_CLASS: Record<ChartMarker["kind"], { line: string; text: string }> = {
  best_step: { line: "stroke-emerald-700", text: "fill-emerald-800" },
  overfitting_onset: { line: "stroke-red-700", text: "fill-red-800" },
};

type Scale = (value: number) => number;

interface SeriesProps {
  name: keyof typeof SERIES_STROKE;
  series: SeriesPoint[];
  x: Scale;
  y: Scale;
}

function SeriesPath({ name, series, x, y }: SeriesProps) {
  const d = series
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join("");
  return (
    <path
      d={d}
      fill="none"
      {...SERIES_STROKE[name]}
      strokeLinejoin="round"
      data-series={name}
      data-drawn-points={series.length}
    />
  );
}

/** A dot per point: a lone point draws no line, and validation steps are few and matter. */
function SeriesDots({ name, series, x, y }: SeriesProps) {
  const stroke = name === "training" ? "stroke-indigo-600" : "stroke-orange-600";
  return series.map((p) => (
    <circle
      key={`${name}${p.step}`}
      cx={x(p.step)}
      cy={y(p.value)}
      r="3.5"
      className={`fill-white ${stroke}`}
      strokeWidth="2"
      data-dot={name}
    />
  ));
}

export interface LossChartSvgProps {
  variant: ChartVariant;
  training: SeriesPoint[];
  validation: SeriesPoint[];
  markers: ChartMarker[];
  summary: string;
  className: string;
}

export function LossChartSvg({
  variant,
  training,
  validation,
  markers,
  summary,
  className,
}: LossChartSvgProps) {
  const layout = LAYOUTS[variant];
  const geometry = chartGeometry(
    [...training, ...validation],
    layout,
    markers.map((m) => m.step),
  );
  const { plot, x, y } = geometry;
  const titleId = `loss-chart-title-${variant}`;
  const descId = `loss-chart-desc-${variant}`;
  const middle = (plot.left + plot.right) / 2;
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      className={`h-auto w-full ${className}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      data-variant={variant}
      data-training-points={training.length}
      data-validation-points={validation.length}
      data-first-step={training[0]?.step ?? validation[0]?.step}
      data-last-step={training.at(-1)?.step ?? validation.at(-1)?.step}
      data-plot={`${plot.left} ${plot.top} ${plot.right} ${plot.bottom}`}
    >
      <title id={titleId}>Loss by training step</title>
      <desc id={descId}>{summary}</desc>
      <ChartAxes geometry={geometry} layout={layout} xTitle="Step" />
      {markers.map((marker, index) => {
        const colors = MARKER_CLASS[marker.kind];
        const mx = x(marker.step);
        const right = mx > middle;
        return (
          <g key={`${marker.kind}${marker.step}`} data-marker={marker.kind} data-step={marker.step}>
            <line
              x1={mx}
              x2={mx}
              y1={plot.top}
              y2={plot.bottom}
              className={colors.line}
              strokeWidth="1.5"
              strokeDasharray="3 3"
            />
            <text
              x={right ? mx - 4 : mx + 4}
              y={plot.top + 12 + index * 15}
              textAnchor={right ? "end" : "start"}
              className={`${colors.text} text-[12px] font-semibold`}
            >
              {marker.label}
            </text>
          </g>
        );
      })}
      {training.length > 1 && <SeriesPath name="training" series={training} x={x} y={y} />}
      {training.length === 1 && <SeriesDots name="training" series={training} x={x} y={y} />}
      {validation.length > 1 && <SeriesPath name="validation" series={validation} x={x} y={y} />}
      {validation.length > 0 && validation.length <= 60 && (
        <SeriesDots name="validation" series={validation} x={x} y={y} />
      )}
    </svg>
  );
}
