import { Section } from "../model/Section";
import { ComparisonTable } from "./ComparisonTable";
import type { ComparedModel, DiffRow } from "./types";

const GROUP_LABEL: Record<DiffRow["group"], string> = {
  training: "Training",
  hyperparameter: "Hyperparameters",
  adapter: "Adapter (from its files)",
};

function show(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/**
 * Every configuration key across the models. A differing row is marked by a word ("Differs"),
 * a thick left border and a tint, so the highlight does not rely on colour alone.
 */
export function ConfigurationDiffSection({
  models,
  rows,
}: {
  models: ComparedModel[];
  rows: DiffRow[];
}) {
  const differing = rows.filter((row) => row.differs).length;
  return (
    <Section
      id="compare-configuration"
      title="Configuration"
      aside={
        <p className="text-sm text-slate-700">
          {differing === 0 ? "No differences" : `${differing} of ${rows.length} differ`}
        </p>
      }
    >
      <ComparisonTable
        label="Configuration table"
        caption="Configuration of the compared models; rows marked Differs have different values"
        firstColumn="Setting"
        models={models}
      >
        {rows.map((row) => (
          <tr
            key={`${row.group}:${row.key}`}
            data-differs={row.differs ? "true" : "false"}
            className={
              row.differs
                ? "border-t border-l-4 border-slate-200 border-l-amber-600 bg-amber-50"
                : "border-t border-slate-200"
            }
          >
            <th scope="row" className="py-2 pr-4 pl-2 font-medium text-slate-700">
              <span className="block text-xs text-slate-600">{GROUP_LABEL[row.group]}</span>
              <code className="break-all">{row.key}</code>
              {row.differs && (
                <span className="ml-2 rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
                  Differs
                </span>
              )}
            </th>
            {row.values.map((value, index) => (
              <td key={models[index]?.id ?? index} className="py-2 pr-4 break-all tabular-nums">
                {show(value)}
              </td>
            ))}
          </tr>
        ))}
      </ComparisonTable>
    </Section>
  );
}
