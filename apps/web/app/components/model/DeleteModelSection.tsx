import { Form } from "@remix-run/react";

import type { ModelDetail } from "./types";
import { useSubmittingIntent } from "./use-submitting-intent";

/** Deleting a model: behind a disclosure and a checkbox the server checks too. */
export function DeleteModelSection({ model }: { model: ModelDetail }) {
  const deleting = useSubmittingIntent() === "delete";
  return (
    <section aria-labelledby="danger-title" className="card border-red-200 p-5 sm:p-6">
      <h2 id="danger-title" className="text-lg font-semibold text-slate-900">
        Delete model
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Removes the model and its stored files. This cannot be undone.
      </p>
      <details className="mt-3">
        <summary className="btn-secondary cursor-pointer list-none text-red-800">
          Delete this model…
        </summary>
        <Form method="post" className="mt-3 space-y-3 rounded-lg bg-red-50 p-3">
          <input type="hidden" name="intent" value="delete" />
          <label className="flex items-start gap-2 text-sm text-red-950">
            <input
              type="checkbox"
              name="confirm"
              value="yes"
              required
              className="mt-0.5 size-4 accent-red-700"
            />
            <span>
              Yes, delete <strong>{model.name}</strong> and its {model.files.length} files.
            </span>
          </label>
          <button type="submit" className="btn-danger w-full" disabled={deleting}>
            {deleting ? "Deleting…" : "Delete permanently"}
          </button>
        </Form>
      </details>
    </section>
  );
}
