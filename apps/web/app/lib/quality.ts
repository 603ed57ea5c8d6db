/**
 * How the dashboard presents SPEC §5's quality metrics. The rules, and the plain-words "why this
 * score" (`explainQuality`, also sent in webhooks), are @mad/quality's.
 */
import type { ConvergenceQuality as Convergence } from "@mad/quality";

export const CONVERGENCE_LABEL: Record<Convergence, string> = {
  excellent: "Excellent",
  good: "Good",
  fair: "Fair",
  poor: "Poor",
  overfit: "Overfit",
  unknown: "Unknown",
};

/** Every pair of text/background colours reaches WCAG AA (≥ 4.5:1) for small text. */
export const CONVERGENCE_CLASSES: Record<Convergence, string> = {
  excellent: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  good: "bg-sky-100 text-sky-900 ring-sky-300",
  fair: "bg-amber-100 text-amber-900 ring-amber-300",
  poor: "bg-orange-100 text-orange-900 ring-orange-300",
  overfit: "bg-rose-100 text-rose-900 ring-rose-300",
  unknown: "bg-slate-100 text-slate-800 ring-slate-300",
};
