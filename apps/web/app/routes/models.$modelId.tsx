/**
 * One model: its quality and why, the loss curve, training summary, configuration, files and
 * downloads, usage snippets, retry of a failed ingestion and deletion. Server logic lives in
 * ./models.$modelId.server.ts, each section in components/model/.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteError } from "@remix-run/react";

import { ErrorPage } from "../components/ErrorPage";
import { AdapterFactsSection } from "../components/model/AdapterFactsSection";
import { ConfigurationSection } from "../components/model/ConfigurationSection";
import { DeleteModelSection } from "../components/model/DeleteModelSection";
import { DetailsSection } from "../components/model/DetailsSection";
import { FilesSection } from "../components/model/FilesSection";
import { IngestionStatus } from "../components/model/IngestionStatus";
import { LossCurveSection } from "../components/model/LossCurveSection";
import { ModelCardSection } from "../components/model/ModelCardSection";
import { ModelHeader } from "../components/model/ModelHeader";
import { ModelLineSection } from "../components/model/ModelLineSection";
import { QualitySection } from "../components/model/QualitySection";
import { TrainingStorySection } from "../components/model/TrainingStorySection";
import { TrainingSummarySection } from "../components/model/TrainingSummarySection";
import { UsageSection } from "../components/model/UsageSection";
import { skipRevalidationAfterSigning } from "../lib/revalidation";
import { useLiveRevalidation } from "../lib/use-live-revalidation";
import { assertSameOrigin, requireUser } from "../server/session.server";
import {
  deleteModel,
  loadModelPage,
  modelIdFrom,
  readModelForm,
  retryIngestion,
  signDownloads,
} from "./models.$modelId.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.model.name} · Models` : "Model not found · Model Artifacts & Delivery" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  return loadModelPage(caller, modelIdFrom(params), request);
}

export async function action({ request, params }: ActionFunctionArgs) {
  await assertSameOrigin(request);
  const { caller } = await requireUser(request);
  const target = { caller, modelId: modelIdFrom(params), request };
  const read = await readModelForm(request);
  if (!read.ok) return read.refusal;
  const { form } = read;
  switch (form.intent) {
    case "delete":
      return deleteModel(target);
    case "retry":
      return retryIngestion(target);
    case "download":
      return signDownloads(target, [form.file], { asLink: form.respond === "link" });
    case "download-all":
      return signDownloads(target);
  }
}

/** Signing links changes nothing: no need to reload the page's data afterwards. */
export const shouldRevalidate = skipRevalidationAfterSigning;

export default function ModelPage() {
  const { model, metrics, line, back, card, lossChartMarkers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const liveUpdates = useLiveRevalidation({
    active: model.status === "processing",
    modelId: model.id,
  });
  // The adapter's own config names the base model it was trained on; the cluster's listing is
  // the fallback for models whose files were not read.
  const baseModel =
    model.adapter_facts?.base_model ??
    (typeof model.model_metadata?.base_model === "string" ? model.model_metadata.base_model : null);

  return (
    <div className="space-y-6">
      <ModelHeader model={model} back={back} />
      <IngestionStatus model={model} actionData={actionData} liveUpdates={liveUpdates} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <QualitySection model={model} />
          <LossCurveSection metrics={metrics} markers={lossChartMarkers} />
          <TrainingStorySection diagnostics={metrics.diagnostics} />
          <FilesSection model={model} actionData={actionData} />
          {baseModel && <UsageSection model={model} baseModel={baseModel} />}
          <ModelCardSection modelId={model.id} markdown={card} />
        </div>

        <div className="min-w-0 space-y-6">
          <TrainingSummarySection model={model} />
          <DetailsSection model={model} />
          <ModelLineSection
            modelId={model.id}
            line={line}
            canHoldAlias={model.status === "stored"}
          />
          <AdapterFactsSection facts={model.adapter_facts} />
          <ConfigurationSection model={model} baseModel={baseModel} />
          <DeleteModelSection model={model} />
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
