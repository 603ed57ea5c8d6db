import type { ComponentProps } from "react";

import { type ChartGeometry, type ChartLayout, tickLabel } from "../lib/chart";

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
      <text {...label} className="fill-slate-700 text-[13px]">
        {tickLabel(value)}
      </text>
    </g>
  );
}

/**
 * The grid, ticks, axis lines and axis titles of a loss chart (the model page's and the compare
 * page's), drawn from one geometry so both read alike.
 */
export function ChartAxes({
  geometry: { xTicks, yTicks, plot, x, y },
  layout,
  xTitle,
}: {
  geometry: ChartGeometry;
  layout: ChartLayout;
  xTitle: string;
}) {
  return (
    <>
      {yTicks.map((tick) => (
        <Tick
          key={`y${tick}`}
          value={tick}
          line={{ x1: plot.left, x2: plot.right, y1: y(tick), y2: y(tick) }}
          lineClassName="stroke-slate-200"
          label={{ x: plot.left - 8, y: y(tick), textAnchor: "end", dominantBaseline: "middle" }}
        />
      ))}
      {xTicks.map((tick) => (
        <Tick
          key={`x${tick}`}
          value={tick}
          line={{ x1: x(tick), x2: x(tick), y1: plot.bottom, y2: plot.bottom + 5 }}
          lineClassName="stroke-slate-500"
          label={{ x: x(tick), y: plot.bottom + 20, textAnchor: "middle" }}
        />
      ))}
      <line
        x1={plot.left}
        x2={plot.right}
        y1={plot.bottom}
        y2={plot.bottom}
        className="stroke-slate-500"
      />
      <line
        x1={plot.left}
        x2={plot.left}
        y1={plot.top}
        y2={plot.bottom}
        className="stroke-slate-500"
      />
      <text
        x={(plot.left + plot.right) / 2}
        y={layout.height - 6}
        textAnchor="middle"
        className="fill-slate-700 text-[13px]"
      >
        {xTitle}
      </text>
      <text
        transform={`translate(14 ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        className="fill-slate-700 text-[13px]"
      >
        Loss
      </text>
    </>
  );
}
