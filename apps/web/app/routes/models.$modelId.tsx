import type { RouterOutputs } from "@mad/api";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useRouteError,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { z } from "zod";

import { CopyButton } from "../components/CopyButton";
import { LossChart } from "../components/LossChart";
import { QualityBadge, Stars, StatusBadge } from "../components/Quality";
import {
  formatBytes,
  formatCost,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
  formatTimeUtc,
} from "../lib/format";
import { startDownload } from "../lib/browser";
import { safeBackHref } from "../lib/list-query";
import { asConvergence, explainQuality } from "../lib/quality";
import { adapterDirName, peftSnippet, vllmSnippet } from "../lib/snippets";
import { usePollWhile } from "../lib/use-poll-while";
import { ErrorPage } from "../components/ErrorPage";
import { apiErrorCode, callApi, notFound } from "../server/api-errors.server";
import { assertSameOrigin, flashHeader, requireUser } from "../server/session.server";

type ModelDetail = RouterOutputs["models"]["byId"];

const modelIdSchema = z.uuid();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.model.name} · Models` : "Model not found · Model Artifacts & Delivery" },
];

function modelIdFrom(params: { modelId?: string }): string {
  const parsed = modelIdSchema.safeParse(params.modelId);
  // A malformed id is just another model that does not exist.
  if (!parsed.success) notFound();
  return parsed.data.toLowerCase();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  const modelId = modelIdFrom(params);
  const [model, metrics] = await Promise.all([
    callApi(() => caller.models.byId({ modelId })),
    callApi(() => caller.models.metrics({ modelId, maxPoints: 600 })),
  ]);
  const back = safeBackHref(new URL(request.url).searchParams.get("back"));
  return { model, metrics, back };
}

/** Signing links changes nothing: no need to reload the page's data afterwards. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formData,
  defaultShouldRevalidate,
}) => {
  const intent = formData?.get("intent");
  return intent === "download" || intent === "download-all" ? false : defaultShouldRevalidate;
};

export type DownloadLinks = {
  kind: "links";
  links: { name: string; url: string }[];
  expiresAt: string;
  /** "all" when the user asked for every file (the page then starts the downloads itself). */
  scope: "all" | "one";
};
type ActionResult =
  DownloadLinks | { kind: "error"; title: string; message: string } | { kind: "retried" };

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("download-all") }),
  z.object({ intent: z.literal("download"), file: z.string().min(1).max(255) }),
  z.object({
    intent: z.literal("delete"),
    confirm: z.literal("yes", { error: "Tick the box to confirm." }),
  }),
  z.object({ intent: z.literal("retry") }),
]);

function failureMessage(error: unknown, fallback: string): string {
  const code = apiErrorCode(error);
  if ((code === "PRECONDITION_FAILED" || code === "BAD_REQUEST") && error instanceof Error)
    return error.message;
  return fallback;
}

export async function action({ request, params }: ActionFunctionArgs) {
  await assertSameOrigin(request);
  const { caller } = await requireUser(request);
  const modelId = modelIdFrom(params);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data<ActionResult>(
      {
        kind: "error",
        title: "Nothing was changed",
        message: parsed.error.issues[0]?.message ?? "That form was not understood.",
      },
      { status: 400 },
    );
  }
  const form = parsed.data;
  const back = safeBackHref(new URL(request.url).searchParams.get("back"));

  if (form.intent === "delete") {
    const { name } = await callApi(() => caller.models.byId({ modelId }));
    await callApi(() => caller.models.delete({ modelId }));
    return redirect(back, {
      headers: { "Set-Cookie": await flashHeader(`Deleted “${name}” and its files.`) },
    });
  }
  if (form.intent === "retry") {
    try {
      await caller.models.retryIngestion({ modelId });
      return data<ActionResult>({ kind: "retried" });
    } catch (error) {
      if (apiErrorCode(error) === "NOT_FOUND") notFound();
      return data<ActionResult>(
        {
          kind: "error",
          title: "Retry failed",
          message: failureMessage(error, "The ingestion could not be restarted. Please try again."),
        },
        { status: 409 },
      );
    }
  }

  const files = form.intent === "download" ? [form.file] : undefined;
  let signed: RouterOutputs["models"]["download"];
  try {
    signed = await caller.models.download({ modelId, files });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFound();
    const status = code === "BAD_REQUEST" ? 400 : code === "PRECONDITION_FAILED" ? 409 : 502;
    return data<ActionResult>(
      {
        kind: "error",
        title: "Download failed",
        message: failureMessage(
          error,
          "We could not create download links right now (the storage service did not answer). Nothing was downloaded; please try again in a minute.",
        ),
      },
      { status },
    );
  }
  const links = Object.entries(signed.download_urls).map(([name, url]) => ({ name, url }));
  // A single file: straight to its signed URL; the browser saves it and stays on this page.
  if (form.intent === "download" && links.length === 1) return redirect(links[0]!.url);
  const expiresAt = new Date(Date.now() + signed.expires_in_seconds * 1000).toISOString();
  return data<ActionResult>({ kind: "links", links, expiresAt, scope: "all" });
}

function Section({
  id,
  title,
  children,
  aside,
}: {
  id: string;
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="card min-w-0 p-5 sm:p-6">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</dt>
          <dd className="mt-1 text-base font-semibold text-slate-900 tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function hyper(config: ModelDetail["configuration"], key: string): unknown {
  return config?.hyperparameters?.[key];
}

function showNumber(value: unknown): string {
  return typeof value === "number"
    ? formatNumber(value, 6)
    : typeof value === "string"
      ? value
      : "—";
}

/** Starts each download through a hidden link, one after another: no pop-ups, no zip. */
function useSequentialDownloads(result: ActionResult | undefined) {
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!result || result.kind !== "links" || result.scope !== "all") return;
    if (started.current === result.expiresAt) return;
    started.current = result.expiresAt;
    let cancelled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    result.links.forEach((link, index) => {
      timers.push(
        setTimeout(() => {
          if (cancelled) return;
          startDownload(link.url, link.name);
        }, index * 600),
      );
    });
    return () => {
      cancelled = true;
      timers.forEach(clearTimeout);
    };
  }, [result]);
}

function DownloadPanel({
  result,
  autoStarted,
}: {
  result: ActionResult | undefined;
  autoStarted: boolean;
}) {
  if (!result || result.kind === "retried") return null;
  if (result.kind === "error") {
    return (
      <div
        role="alert"
        className="mb-4 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
        data-testid="download-error"
      >
        <p className="font-semibold">{result.title}</p>
        <p className="mt-1">{result.message}</p>
      </div>
    );
  }
  return (
    <div
      role="status"
      className="mb-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
      data-testid="download-links"
    >
      <p className="font-semibold">
        {autoStarted ? "Your downloads are starting." : "Your download links are ready."} Links
        valid for 1 hour, expire at {formatTimeUtc(result.expiresAt)}.
      </p>
      <p className="mt-1">
        {autoStarted ? "If a file did not start, use its link:" : "Save each file:"}
      </p>
      <ul className="mt-2 space-y-1">
        {result.links.map((link) => (
          <li key={link.name}>
            <a href={link.url} download={link.name} className="link text-emerald-900 underline">
              {link.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function ModelPage() {
  const { model, metrics, back } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fetcher = useFetcher<typeof action>({ key: `download-all-${model.id}` });
  const navigation = useNavigation();
  const result = fetcher.data ?? actionData;
  useSequentialDownloads(fetcher.data);
  usePollWhile(model.status === "processing");

  const quality = model.quality_metrics;
  const convergence = asConvergence(quality?.convergence_quality);
  const summary = model.training_summary;
  const config = model.configuration;
  const baseModel =
    typeof model.model_metadata?.base_model === "string" ? model.model_metadata.base_model : null;
  const dir = adapterDirName(model.name);
  const preparingAll = fetcher.state !== "idle";
  const submittingIntent =
    navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  return (
    <div className="space-y-6">
      <Link
        to={back}
        className="link inline-flex items-center gap-1 text-sm"
        data-testid="back-link"
      >
        <span aria-hidden="true">←</span> Back to models
      </Link>

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">
            {model.name}
          </h1>
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
            <Stars
              score={model.status === "stored" ? (quality?.overall_score ?? null) : null}
              size="lg"
            />
            {model.status === "stored" ? (
              <QualityBadge quality={convergence} />
            ) : (
              <StatusBadge status={model.status} />
            )}
            <span>
              Dataset <span className="font-semibold text-slate-900">{model.dataset.name}</span> ·{" "}
              {formatInteger(model.dataset.total_training_pairs)} pairs ({model.dataset.format})
            </span>
            <span>Version {model.version}</span>
          </div>
        </div>
      </header>

      {model.status === "processing" && (
        <div
          role="status"
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
            <button type="submit" className="btn-primary" disabled={submittingIntent === "retry"}>
              {submittingIntent === "retry" ? "Retrying…" : "Retry ingestion"}
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

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Section id="quality-title" title="Quality">
            <Facts
              items={[
                ["Score", quality?.overall_score ? `${quality.overall_score} / 5` : "Not rated"],
                ["Convergence", <QualityBadge key="b" quality={convergence} />],
                ["Loss reduction", formatPercent(quality?.loss_reduction_percent)],
                ["Final training loss", formatNumber(quality?.final_training_loss)],
                ["Final validation loss", formatNumber(quality?.final_validation_loss)],
                ["Perplexity", formatNumber(quality?.perplexity, 3)],
              ]}
            />
            <div
              className="mt-5 rounded-lg bg-slate-50 p-4 text-sm text-slate-800"
              data-testid="quality-explanation"
            >
              <h3 className="font-semibold text-slate-900">Why this score</h3>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {(model.status !== "stored" && !quality
                  ? [
                      model.status === "processing"
                        ? "The score is computed from the loss history once the files are stored."
                        : "The score is computed once ingestion succeeds; retry the ingestion above.",
                    ]
                  : explainQuality(
                      quality ? { ...quality, convergence_quality: convergence } : null,
                    )
                ).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          </Section>

          <Section id="curve-title" title="Loss curve">
            <LossChart points={metrics.points} />
            {metrics.total_points > metrics.points.length && (
              <p className="mt-2 text-xs text-slate-600">
                Drawn from {formatInteger(metrics.points.length)} of{" "}
                {formatInteger(metrics.total_points)} logged steps (peaks and validation steps
                kept).
              </p>
            )}
          </Section>

          <Section
            id="files-title"
            title="Files"
            aside={
              model.status === "stored" && model.files.length > 0 ? (
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="download-all" />
                  <button
                    type="submit"
                    className="btn-primary"
                    disabled={preparingAll}
                    data-testid="download-all"
                  >
                    {preparingAll
                      ? "Preparing links…"
                      : `Download all (${formatBytes(model.total_size_bytes)})`}
                  </button>
                </fetcher.Form>
              ) : null
            }
          >
            <DownloadPanel result={result} autoStarted={fetcher.data !== undefined} />
            {model.files.length === 0 ? (
              <p className="text-sm text-slate-700">No files stored yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {model.files.map((file) => (
                  <li
                    key={file.name}
                    className="flex flex-wrap items-center justify-between gap-3 py-3"
                    data-testid="file-row"
                  >
                    <div className="min-w-0 flex-1 basis-full sm:basis-0">
                      <p className="font-mono text-sm font-semibold break-all text-slate-900">
                        {file.name}
                      </p>
                      <p className="text-xs text-slate-600">{formatBytes(file.size_bytes)}</p>
                      <div className="mt-1 flex items-center gap-2">
                        <span className="text-xs text-slate-600">sha256</span>
                        <code
                          className="font-mono text-xs break-all text-slate-800 select-all"
                          data-testid="sha256"
                        >
                          {file.sha256}
                        </code>
                        <CopyButton text={file.sha256} label={`Copy the sha256 of ${file.name}`} />
                      </div>
                    </div>
                    {model.status === "stored" && (
                      <Form method="post" reloadDocument>
                        <input type="hidden" name="intent" value="download" />
                        <input type="hidden" name="file" value={file.name} />
                        <button
                          type="submit"
                          className="btn-secondary"
                          aria-label={`Download ${file.name}`}
                          data-testid="download-file"
                        >
                          Download
                        </button>
                      </Form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Section>

          {baseModel && (
            <Section id="use-title" title="Use this adapter">
              <p className="text-sm text-slate-700">
                Download the files into{" "}
                <code className="rounded bg-slate-100 px-1 font-mono">./{dir}</code>, then load them
                on top of the base model{" "}
                <code className="rounded bg-slate-100 px-1 font-mono">{baseModel}</code>.
              </p>
              {[
                { label: "Python (PEFT)", code: peftSnippet(baseModel, dir) },
                { label: "vLLM server", code: vllmSnippet(baseModel, dir) },
              ].map((snippet) => (
                <div key={snippet.label} className="mt-4">
                  <div className="mb-1 flex items-center justify-between">
                    <h3 className="text-sm font-semibold text-slate-900">{snippet.label}</h3>
                    <CopyButton text={snippet.code} label={`Copy the ${snippet.label} snippet`} />
                  </div>
                  <pre className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100">
                    <code>{snippet.code}</code>
                  </pre>
                </div>
              ))}
            </Section>
          )}
        </div>

        <div className="min-w-0 space-y-6">
          <Section id="summary-title" title="Training summary">
            <dl className="space-y-3 text-sm">
              {(
                [
                  ["Epochs", formatInteger(summary?.epochs_completed)],
                  ["Steps", formatInteger(summary?.total_steps)],
                  ["Duration", formatDuration(summary?.training_duration_hours)],
                  ["Total cost", formatCost(summary?.total_cost)],
                  ["Final loss", formatNumber(summary?.final_loss)],
                  ["Completed", formatDateTime(model.job.completed_at)],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="flex justify-between gap-4">
                  <dt className="text-slate-600">{label}</dt>
                  <dd className="font-semibold text-slate-900 tabular-nums">{value}</dd>
                </div>
              ))}
            </dl>
          </Section>

          <Section id="config-title" title="Configuration">
            <dl className="space-y-3 text-sm">
              {(
                [
                  ["Preset", config?.preset_id ?? model.job.preset_id],
                  ["Learning rate", showNumber(hyper(config, "learning_rate"))],
                  ["Batch size", showNumber(hyper(config, "batch_size"))],
                  ["Epochs", showNumber(hyper(config, "epochs"))],
                  ["LoRA rank", showNumber(hyper(config, "rank"))],
                  [
                    "GPUs",
                    config?.gpu_config
                      ? `${config.gpu_config.count} × ${config.gpu_config.type}`
                      : "—",
                  ],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="flex justify-between gap-4">
                  <dt className="text-slate-600">{label}</dt>
                  <dd className="text-right font-semibold text-slate-900">{value}</dd>
                </div>
              ))}
              <div className="border-t border-slate-100 pt-3">
                <dt className="text-slate-600">Base model</dt>
                <dd className="mt-1 font-mono text-xs font-semibold break-all text-slate-900">
                  {baseModel ?? "—"}
                </dd>
              </div>
            </dl>
          </Section>

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
                <button
                  type="submit"
                  className="btn-danger w-full"
                  disabled={submittingIntent === "delete"}
                >
                  {submittingIntent === "delete" ? "Deleting…" : "Delete permanently"}
                </button>
              </Form>
            </details>
          </section>
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
