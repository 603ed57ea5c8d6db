import { Section } from "./Section";

/** The generated README.md (Hugging Face model card): shown folded, and downloadable. */
export function ModelCardSection({ modelId, markdown }: { modelId: string; markdown: string }) {
  const href = `/models/${modelId}/README.md`;
  return (
    <Section
      id="card-title"
      title="Model card"
      aside={
        <a className="btn-secondary px-3 py-1 text-sm" href={href} download="README.md">
          Download README.md
        </a>
      }
    >
      <p className="text-sm text-slate-700">
        A README.md in the Hugging Face model-card format, made only from what this page knows.
      </p>
      <details className="mt-3">
        <summary className="cursor-pointer text-sm font-medium text-slate-900">
          Show the card
        </summary>
        <pre
          tabIndex={0}
          aria-label="Model card (README.md)"
          className="mt-2 max-h-96 overflow-auto rounded-lg bg-slate-50 p-4 text-xs leading-relaxed whitespace-pre-wrap text-slate-800"
        >
          {markdown}
        </pre>
      </details>
    </Section>
  );
}
