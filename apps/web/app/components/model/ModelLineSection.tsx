import { Form } from "@remix-run/react";

import { Section } from "./Section";
import type { ModelLine } from "./types";

const FIELD = "mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900";

function versionLabel(version: string | null): string {
  return version ? `v${version.split(".")[0]}` : "a deleted model";
}

/**
 * The model's line (the user's models of its dataset): every version, which aliases each holds,
 * a form to point an alias here (works without JavaScript) and the history of alias moves.
 */
export function ModelLineSection({
  modelId,
  line,
  canHoldAlias,
}: {
  modelId: string;
  line: ModelLine;
  canHoldAlias: boolean;
}) {
  const mine = line.models.find((model) => model.id === modelId);
  return (
    <Section id="line-title" title="Versions and aliases">
      <p className="text-sm text-slate-700">
        {versionLabel(mine?.version ?? null)} of {line.models.length}{" "}
        {line.models.length === 1 ? "model" : "models"} trained on “{line.dataset.name}”.
      </p>
      <ol className="mt-3 space-y-2 text-sm" aria-label="Versions">
        {line.models.map((model) => (
          <li key={model.id} className="flex flex-wrap items-center gap-2">
            <span className="font-semibold tabular-nums text-slate-900">
              {versionLabel(model.version)}
            </span>
            {model.id === modelId ? (
              <span className="text-slate-900" aria-current="page">
                {model.name} (this model)
              </span>
            ) : (
              <a href={`/models/${model.id}`} className="link break-all">
                {model.name}
              </a>
            )}
            {model.status !== "stored" && <span className="text-slate-600">({model.status})</span>}
            {model.aliases.map((alias) => (
              <span
                key={alias}
                className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-900"
              >
                {alias}
              </span>
            ))}
          </li>
        ))}
      </ol>

      {mine && mine.aliases.length > 0 && (
        <ul className="mt-4 flex flex-wrap gap-2" aria-label="Aliases of this model">
          {mine.aliases.map((alias) => (
            <li key={alias}>
              <Form method="post" action={`/models/${modelId}/aliases`}>
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="alias" value={alias} />
                <button type="submit" className="btn-secondary text-xs">
                  Remove “{alias}”
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}

      {canHoldAlias ? (
        <Form
          // A new form (an empty field) after each move.
          key={line.moves.length}
          method="post"
          action={`/models/${modelId}/aliases`}
          className="mt-4 flex flex-wrap items-end gap-2"
        >
          <input type="hidden" name="intent" value="move" />
          <label className="block min-w-0 flex-1 text-sm font-medium text-slate-900">
            Point an alias at this model
            <input
              name="alias"
              required
              maxLength={32}
              pattern="[A-Za-z][A-Za-z0-9\-]{0,31}"
              placeholder="production"
              list="line-aliases"
              aria-describedby="alias-help"
              className={FIELD}
            />
          </label>
          <datalist id="line-aliases">
            {line.aliases.map((alias) => (
              <option key={alias.alias} value={alias.alias} />
            ))}
          </datalist>
          <button type="submit" className="btn-primary">
            Set alias
          </button>
          <p id="alias-help" className="w-full text-xs text-slate-600">
            Moves the alias from whichever model holds it. Services find it with{" "}
            <code>models.resolve</code>.
          </p>
        </Form>
      ) : (
        <p className="mt-4 text-sm text-slate-600">Aliases can point at stored models only.</p>
      )}

      {line.moves.length > 0 && (
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-slate-900">
            Alias history ({line.moves.length})
          </summary>
          <ul className="mt-2 space-y-1 text-sm text-slate-700">
            {line.moves.map((move, index) => (
              <li key={`${move.moved_at}-${index}`}>
                <time dateTime={move.moved_at}>
                  {move.moved_at.slice(0, 16).replace("T", " ")} UTC
                </time>{" "}
                <strong className="text-slate-900">{move.alias}</strong>:{" "}
                {move.from ? versionLabel(move.from.version) : "new"} →{" "}
                {move.to ? versionLabel(move.to.version) : "removed"}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Section>
  );
}
