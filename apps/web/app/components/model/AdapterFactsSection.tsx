import { formatInteger, formatNumber } from "../../lib/format";
import { DetailList, Section } from "./Section";
import type { ModelDetail } from "./types";

type Facts = NonNullable<ModelDetail["adapter_facts"]>;

const yesNo = (value: boolean) => (value ? "Yes" : "No");
const list = (items: readonly string[]) => (items.length > 0 ? items.join(", ") : "None");

function dtypes(facts: Facts): string {
  return Object.entries(facts.tensors.dtypes)
    .map(([dtype, count]) => `${dtype} × ${formatInteger(count)}`)
    .join(", ");
}

/** What the adapter's own files say: read from adapter_config.json and the safetensors header. */
export function AdapterFactsSection({ facts }: { facts: Facts | null }) {
  return (
    <Section id="adapter-title" title="Adapter">
      {facts === null ? (
        <p className="text-sm text-slate-700">
          The adapter&apos;s files have not been read for this model yet (it was stored before
          adapter facts were recorded).
        </p>
      ) : (
        <>
          <DetailList
            valueClassName="text-right font-semibold break-all text-slate-900"
            rows={[
              ["Rank", formatInteger(facts.rank)],
              ["Alpha", formatNumber(facts.alpha)],
              ["Scaling", `${formatNumber(facts.scaling)}${facts.use_rslora ? " (rsLoRA)" : ""}`],
              ["Target modules", facts.target_modules_regex ?? list(facts.target_modules)],
              ["Modules saved whole", list(facts.modules_to_save)],
              ["DoRA", yesNo(facts.use_dora)],
              ["rsLoRA", yesNo(facts.use_rslora)],
              ["Task type", facts.task_type ?? "—"],
              ["Parameters", formatInteger(facts.tensors.parameter_count)],
              ["Tensors", formatInteger(facts.tensors.count)],
              ["Layers", facts.tensors.layers === null ? "—" : formatInteger(facts.tensors.layers)],
              ["Data types", dtypes(facts)],
              ...(facts.other_features.length > 0
                ? ([["Other options", facts.other_features.join(", ")]] as const)
                : []),
            ]}
          />
          {facts.rank !== facts.max_rank && (
            <p className="mt-3 text-xs text-slate-600">
              Rank {formatInteger(facts.rank)} by default; some modules use up to{" "}
              {formatInteger(facts.max_rank)} (rank_pattern).
            </p>
          )}
        </>
      )}
    </Section>
  );
}
