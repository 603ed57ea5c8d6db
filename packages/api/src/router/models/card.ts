/**
 * models.card: the model's README.md (Hugging Face model-card format) from what models.byId and
 * the diagnostics know. The same ownership as models.byId: another user's model is NOT_FOUND.
 */
import type { TrainingDiagnostics } from "@mad/quality";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { modelById } from "./by-id";
import { modelIdInput } from "./inputs";
import { modelMetrics } from "./metrics";
import { modelCardMarkdown } from "./model-card";

type ModelDetail = Awaited<ReturnType<typeof modelById>>;

/**
 * The card of a model as models.byId and models.metrics return it — also what the dashboard
 * calls with the data its page already loaded, so the card costs no query of its own there.
 */
export function modelCardFrom(model: ModelDetail, diagnostics: TrainingDiagnostics) {
  const baseModel = model.adapter_facts?.base_model ?? model.model_metadata?.base_model ?? null;
  const markdown = modelCardMarkdown({
    name: model.name,
    description: model.description,
    tags: model.tags,
    baseModel: typeof baseModel === "string" ? baseModel : null,
    dataset: model.dataset,
    configuration: model.configuration,
    trainedAt: model.job.completed_at,
    quality: model.quality_metrics,
    summary: model.training_summary,
    facts: model.adapter_facts,
    serving: model.serving?.engines ?? null,
    diagnostics,
    files: model.files,
  });
  return { file_name: "README.md", content_type: "text/markdown; charset=utf-8", markdown };
}

export async function modelCard(ctx: AuthenticatedContext, modelId: string) {
  const model = await modelById(ctx, modelId);
  const { diagnostics } = await modelMetrics(ctx, { modelId, maxPoints: 10 });
  return modelCardFrom(model, diagnostics);
}

export const modelCardProcedure = protectedProcedure
  .input(modelIdInput)
  .query(({ ctx, input }) => modelCard(ctx, input.modelId));
