import { Form } from "@remix-run/react";

import { formatBytes } from "../../lib/format";
import type { LiveUpdates } from "../../lib/use-live-revalidation";
import type { ModelActionResult, ModelDetail } from "./types";
import { useSubmittingIntent } from "./use-submitting-intent";

/**
 * Where a model that is not simply stored stands: the copy's progress while it is processing,
 * the reason and a retry button when it failed, and the confirmation after a retry.
 */
export function IngestionStatus({
  model,
  actionData,
  liveUpdates,
}: {
  model: ModelDetail;
  actionData: ModelActionResult | undefined;
  /** How the page follows the copy (live events or polling); on the element for tests and tools. */
  liveUpdates?: LiveUpdates;
}) {
  const retrying = useSubmittingIntent() === "retry";
  return (
    <>
      {model.status === "processing" && (
        <div
          role="status"
          data-live-updates={liveUpdates}
          className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950"
        >
          <p className="font-semibold">This model is still being stored.</p>
          <p className="mt-1">
            {formatBytes(model.ingestion.bytes_copied)}
            {model.ingestion.bytes_total
              ? ` of ${formatBytes(model.ingestion.bytes_total)}`
              : ""}{" "}
            copied. Its files can be downloaded once it is ready; this page updates itself (or
            reload it).
          </p>
        </div>
      )}
      {model.status === "failed" && (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950"
        >
          <div>
            <p className="font-semibold">
              Ingestion failed after {model.ingestion.attempts}{" "}
              {model.ingestion.attempts === 1 ? "attempt" : "attempts"}.
            </p>
            <p className="mt-1">{model.failure_reason ?? "Unknown reason."}</p>
          </div>
          <Form method="post">
            <input type="hidden" name="intent" value="retry" />
            <button type="submit" className="btn-primary" disabled={retrying}>
              {retrying ? "Retrying…" : "Retry ingestion"}
            </button>
          </Form>
        </div>
      )}
      {actionData?.kind === "retried" && (
        <p
          role="status"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
        >
          Ingestion restarted. The files are being copied again; you will get a notification when
          the model is ready.
        </p>
      )}
    </>
  );
}
