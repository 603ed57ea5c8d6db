import type { ChartMarker } from "../../lib/chart";
import { formatInteger } from "../../lib/format";
import { LossChart } from "../LossChart";
import { Section } from "./Section";
import type { ModelMetrics } from "./types";

/**
 * The loss chart, and how much of the logged history it was drawn from. `markers` draw labelled
 * vertical lines at steps (e.g. the best step, where overfitting starts).
 */
export function LossCurveSection({
  metrics,
  markers,
}: {
  metrics: ModelMetrics;
  markers?: ChartMarker[];
}) {
  return (
    <Section id="curve-title" title="Loss curve">
      <LossChart points={metrics.points} markers={markers} />
      {metrics.total_points > metrics.points.length && (
        <p className="mt-2 text-xs text-slate-600">
          Drawn from {formatInteger(metrics.points.length)} of {formatInteger(metrics.total_points)}{" "}
          logged steps (peaks and validation steps kept).
        </p>
      )}
    </Section>
  );
}
