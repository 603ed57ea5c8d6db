/**
 * Markers for the loss chart from the training diagnostics: the best step and where overfitting
 * began. The shape is LossCurveSection's `markers` prop (`{ step, label, kind }[]`).
 */
import type { ModelMetrics } from "../components/model/types";
import type { ChartMarker } from "./chart";

export function lossChartMarkers(diagnostics: ModelMetrics["diagnostics"]): ChartMarker[] {
  const markers: ChartMarker[] = [];
  if (diagnostics.best_step) {
    markers.push({
      step: diagnostics.best_step.step,
      label: `Best step (${diagnostics.best_step.step})`,
      kind: "best_step",
    });
  }
  if (diagnostics.overfitting) {
    markers.push({
      step: diagnostics.overfitting.onset_step,
      label: `Overfitting begins (${diagnostics.overfitting.onset_step})`,
      kind: "overfitting_onset",
    });
  }
  return markers;
}
