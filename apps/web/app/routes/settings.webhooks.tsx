/**
 * Settings → Webhooks: the user's endpoints (model.ready, model.failed, model.deleted, signed
 * as Standard Webhooks say), adding one (its secret shown once), deleting one, and each
 * endpoint's recent deliveries with every attempt and a redeliver button. Works without
 * JavaScript. Server logic in ./settings.webhooks.server.ts.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { CopyButton } from "../components/CopyButton";
import { formatDateTime } from "../lib/format";
import { assertSameOrigin, requireUser } from "../server/session.server";
import { loadWebhooksPage, runWebhooksAction } from "./settings.webhooks.server";

export const meta: MetaFunction = () => [{ title: "Webhooks · Model Artifacts & Delivery" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  return loadWebhooksPage(caller);
}

export async function action({ request }: ActionFunctionArgs) {
  await assertSameOrigin(request);
  const { caller } = await requireUser(request);
  return runWebhooksAction(caller, await request.formData());
}

const FIELD = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900";
const EVENTS = [
  ["model.ready", "A model is stored and ready to download"],
  ["model.failed", "An ingestion failed"],
  ["model.deleted", "A model was deleted"],
] as const;

export default function WebhooksPage() {
  const { endpoints } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">Webhooks</h1>
        <p className="mt-1 text-sm text-slate-700">
          Your services hear when a model is ready, fails or is deleted, without polling. Every
          delivery is signed (Standard Webhooks: <code>webhook-id</code>,{" "}
          <code>webhook-timestamp</code>, <code>webhook-signature</code>) and retried for a day.
        </p>
      </header>

      {result?.kind === "created" && (
        <div
          role="status"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
        >
          <p className="font-semibold">Endpoint added: {result.url}</p>
          <p className="mt-1">
            Its signing secret, shown only now — keep it where your receiver can read it:
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="min-w-0 break-all rounded bg-white px-2 py-1" data-testid="secret">
              {result.secret}
            </code>
            <CopyButton text={result.secret} label="Copy secret" />
          </div>
        </div>
      )}
      {result?.kind === "done" && (
        <p role="status" className="rounded-lg border border-slate-300 bg-white p-4 text-sm">
          {result.message}
        </p>
      )}
      {result?.kind === "error" && (
        <p
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950"
        >
          {result.message}
        </p>
      )}

      <section aria-labelledby="add-title" className="card p-5 sm:p-6">
        <h2 id="add-title" className="text-lg font-semibold text-slate-900">
          Add an endpoint
        </h2>
        <Form method="post" className="mt-3 space-y-3">
          <input type="hidden" name="intent" value="create" />
          <label className="block text-sm font-medium text-slate-900">
            URL
            <input
              name="url"
              type="url"
              required
              maxLength={2048}
              placeholder="https://deploy.example.com/hooks/models"
              className={FIELD}
            />
          </label>
          <label className="block text-sm font-medium text-slate-900">
            Description (optional)
            <input name="description" maxLength={200} className={FIELD} />
          </label>
          <fieldset>
            <legend className="text-sm font-medium text-slate-900">Events</legend>
            {EVENTS.map(([type, label]) => (
              <label key={type} className="mt-1 flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="events" value={type} defaultChecked />
                <span>
                  <code>{type}</code> — {label}
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn-primary">
            Add endpoint
          </button>
        </Form>
      </section>

      <section aria-labelledby="endpoints-title" className="space-y-4">
        <h2 id="endpoints-title" className="text-lg font-semibold text-slate-900">
          Your endpoints
        </h2>
        {endpoints.length === 0 && <p className="text-sm text-slate-600">No endpoints yet.</p>}
        {endpoints.map((endpoint) => (
          <article
            key={endpoint.id}
            aria-label={endpoint.url}
            className="card min-w-0 space-y-3 p-5 sm:p-6"
          >
            <div>
              <p className="font-mono text-sm break-all text-slate-900">{endpoint.url}</p>
              {endpoint.description && (
                <p className="text-sm text-slate-700">{endpoint.description}</p>
              )}
              <p className="text-xs text-slate-600">
                {endpoint.event_types.join(", ")} · added {formatDateTime(endpoint.created_at)}
              </p>
              {endpoint.disabled_at && (
                <p className="mt-1 text-sm font-medium text-red-900">
                  Disabled {formatDateTime(endpoint.disabled_at)}: {endpoint.disabled_reason}
                </p>
              )}
            </div>
            <details>
              <summary className="cursor-pointer text-sm font-medium text-slate-900">
                Recent deliveries ({endpoint.deliveries.length})
              </summary>
              <ul className="mt-2 space-y-2 text-sm">
                {endpoint.deliveries.map((delivery) => (
                  <li key={delivery.id} className="rounded border border-slate-200 p-2">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <span>
                        <code>{delivery.type}</code> ·{" "}
                        <a href={`/models/${delivery.model_id}`} className="link underline">
                          model
                        </a>{" "}
                        · <strong>{delivery.status}</strong> · {delivery.attempt_count}{" "}
                        {delivery.attempt_count === 1 ? "attempt" : "attempts"}
                      </span>
                      <Form method="post">
                        <input type="hidden" name="intent" value="redeliver" />
                        <input type="hidden" name="deliveryId" value={delivery.id} />
                        <button type="submit" className="btn-secondary py-1 text-xs">
                          Redeliver
                        </button>
                      </Form>
                    </div>
                    {delivery.attempts.length > 0 && (
                      <ul className="mt-1 text-xs text-slate-700">
                        {delivery.attempts.map((attempt) => (
                          <li key={attempt.attempted_at}>
                            {formatDateTime(attempt.attempted_at)}:{" "}
                            {attempt.status_code === null
                              ? (attempt.error ?? "no answer")
                              : `HTTP ${attempt.status_code}`}{" "}
                            ({attempt.duration_ms} ms)
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </details>
            <Form method="post" className="flex flex-wrap items-center gap-3">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="endpointId" value={endpoint.id} />
              <label className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="confirm" value="yes" required />
                Yes, delete this endpoint
              </label>
              <button type="submit" className="btn-secondary text-sm">
                Delete endpoint
              </button>
            </Form>
          </article>
        ))}
      </section>
    </div>
  );
}
