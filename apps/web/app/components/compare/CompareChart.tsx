import { chartGeometry, type SeriesPoint } from "../../lib/chart";
import type { Alignment, ModelSeries } from "../../lib/compare-series";
import { ChartAxes } from "../ChartAxes";
import { type ChartVariant, LAYOUTS } from "../LossChartSvg";

/**
 * Per model: a colour, and a symbol drawn at its curve's end and in the legend, so the models
 * are told apart without colour. Training is solid, validation dashed, as on the model page.
 */
const MODEL_STYLES = [
  { stroke: "stroke-indigo-600", fill: "fill-indigo-600", symbol: "circle", label: "●" },
  { stroke: "stroke-orange-600", fill: "fill-orange-600", symbol: "square", label: "■" },
  { stroke: "stroke-emerald-700", fill: "fill-emerald-700", symbol: "triangle", label: "▲" },
  { stroke: "stroke-fuchsia-700", fill: "fill-fuchsia-700", symbol: "diamond", label: "◆" },
] as const;

export type ModelStyle = (typeof MODEL_STYLES)[number];

/** The style of the model at `index` on the page: the styles repeat past the fourth model. */
export function modelStyle(index: number): ModelStyle {
  return MODEL_STYLES[index % MODEL_STYLES.length] ?? MODEL_STYLES[0];
}

export function ModelSymbol({ style, cx, cy }: { style: ModelStyle; cx: number; cy: number }) {
  const r = 5;
  if (style.symbol === "circle") return <circle cx={cx} cy={cy} r={r} className={style.fill} />;
  if (style.symbol === "square")
    return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} className={style.fill} />;
  const points =
    style.symbol === "triangle"
      ? `${cx},${cy - r - 1} ${cx + r + 1},${cy + r} ${cx - r - 1},${cy + r}`
      : `${cx},${cy - r - 1} ${cx + r + 1},${cy} ${cx},${cy + r + 1} ${cx - r - 1},${cy}`;
  return <polygon points={points} className={style.fill} />;
}

function path(series: SeriesPoint[], x: (v: number) => number, y: (v: number) => number) {
  return series
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(" ");
}

export function CompareChart({
  variant,
  series,
  names,
  align,
  className,
}: {
  variant: ChartVariant;
  series: ModelSeries[];
  names: string[];
  align: Alignment;
  className: string;
}) {
  const layout = LAYOUTS[variant];
  const all = series.flatMap((s) => [...s.training, ...s.validation]);
  if (all.length === 0) return null;
  const geometry = chartGeometry(all, layout);
  const { x, y } = geometry;
  const titleId = `compare-chart-title-${variant}`;
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      className={`h-auto w-full ${className}`}
      role="img"
      aria-labelledby={titleId}
      data-variant={variant}
      data-models={series.length}
      data-align={align}
    >
      <title id={titleId}>
        {`Training and validation loss by ${align} of ${names.join(", ")}`}
      </title>
      <ChartAxes
        geometry={geometry}
        layout={layout}
        xTitle={align === "epoch" ? "Epoch" : "Step"}
      />
      {series.map((model, index) => {
        const style = modelStyle(index);
        const last = model.training.at(-1) ?? model.validation.at(-1);
        return (
          <g key={index} data-model-series={index} fill="none">
            {model.training.length > 1 && (
              <path
                d={path(model.training, x, y)}
                className={style.stroke}
                strokeWidth="2"
                data-series="training"
              />
            )}
            {model.validation.length > 1 && (
              <path
                d={path(model.validation, x, y)}
                className={style.stroke}
                strokeWidth="2"
                strokeDasharray="6 4"
                data-series="validation"
              />
            )}
            {last && <ModelSymbol style={style} cx={x(last.step)} cy={y(last.value)} />}
          </g>
        );
      })}
    </svg>
  );
}
