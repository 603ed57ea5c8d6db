import { Form } from "@remix-run/react";

import { Markdown } from "../../lib/markdown";
import { Section } from "./Section";
import type { ModelDetail } from "./types";

const FIELD = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900";

/**
 * The owner's words about the model: its description (Markdown, rendered safely) and tags, and
 * a form to change them and the name (posted to /models/{id}/details; works without JavaScript).
 */
export function DetailsSection({ model }: { model: ModelDetail }) {
  return (
    <Section id="about-title" title="About this model">
      {model.description ? (
        <Markdown text={model.description} />
      ) : (
        <p className="text-sm text-slate-600">No description yet.</p>
      )}
      {model.tags.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-2" aria-label="Tags">
          {model.tags.map((tag) => (
            <li key={tag}>
              <a
                href={`/models?q=${encodeURIComponent(tag)}`}
                className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800"
              >
                {tag}
              </a>
            </li>
          ))}
        </ul>
      )}
      <details className="mt-4">
        <summary className="btn-secondary cursor-pointer list-none text-sm">Edit details…</summary>
        <Form method="post" action={`/models/${model.id}/details`} className="mt-3 space-y-3">
          <label className="block text-sm font-medium text-slate-900">
            Name
            <input
              name="name"
              defaultValue={model.name}
              maxLength={200}
              required
              className={FIELD}
            />
          </label>
          <label className="block text-sm font-medium text-slate-900">
            Description (Markdown)
            <textarea
              name="description"
              defaultValue={model.description ?? ""}
              maxLength={10000}
              rows={5}
              className={FIELD}
            />
          </label>
          <label className="block text-sm font-medium text-slate-900">
            Tags (comma-separated)
            <input
              name="tags"
              defaultValue={model.tags.join(", ")}
              maxLength={1000}
              className={FIELD}
              aria-describedby="tags-help"
            />
          </label>
          <p id="tags-help" className="text-xs text-slate-600">
            Up to 20 tags of lower-case letters, digits and . _ + -
          </p>
          <button type="submit" className="btn-primary">
            Save details
          </button>
        </Form>
      </details>
    </Section>
  );
}
