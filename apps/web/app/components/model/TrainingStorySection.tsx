import { Section } from "./Section";
import type { ModelMetrics } from "./types";

type Diagnostics = ModelMetrics["diagnostics"];

/** "What happened in training": the diagnostics of the loss history, in plain sentences. */
export function TrainingStorySection({ diagnostics }: { diagnostics: Diagnostics }) {
  return (
    <Section id="story-title" title="What happened in training">
      <ul className="space-y-2 text-sm text-slate-800">
        {diagnostics.summary.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      {diagnostics.best_step && (
        <p className="mt-3 text-xs text-slate-600">
          Read from {diagnostics.points.training.toLocaleString("en-US")} training and{" "}
          {diagnostics.points.validation.toLocaleString("en-US")} validation losses. The chart marks
          the best step
          {diagnostics.overfitting ? " and where overfitting began" : ""}.
        </p>
      )}
    </Section>
  );
}
