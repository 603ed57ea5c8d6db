import { formatNumber } from "../../lib/format";
import { DetailList, Section } from "./Section";
import type { ModelDetail } from "./types";

type Configuration = ModelDetail["configuration"];

function hyperparameter(config: Configuration, key: string): string {
  const value: unknown = config?.hyperparameters?.[key];
  return typeof value === "number"
    ? formatNumber(value, 6)
    : typeof value === "string"
      ? value
      : "—";
}

/** The job's preset, hyperparameters, GPUs and base model. */
export function ConfigurationSection({
  model,
  baseModel,
}: {
  model: ModelDetail;
  baseModel: string | null;
}) {
  const config = model.configuration;
  return (
    <Section id="config-title" title="Configuration">
      <DetailList
        valueClassName="text-right font-semibold text-slate-900"
        rows={[
          ["Preset", config?.preset_id ?? model.job.preset_id],
          ["Learning rate", hyperparameter(config, "learning_rate")],
          ["Batch size", hyperparameter(config, "batch_size")],
          ["Epochs", hyperparameter(config, "epochs")],
          ["LoRA rank", hyperparameter(config, "rank")],
          [
            "GPUs",
            config?.gpu_config ? `${config.gpu_config.count} × ${config.gpu_config.type}` : "—",
          ],
        ]}
      >
        <div className="border-t border-slate-100 pt-3">
          <dt className="text-slate-600">Base model</dt>
          <dd className="mt-1 font-mono text-xs font-semibold break-all text-slate-900">
            {baseModel ?? "—"}
          </dd>
        </div>
      </DetailList>
    </Section>
  );
}
