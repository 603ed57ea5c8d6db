import { type UsageSnippet, usageSnippets } from "../../lib/snippets";
import { CopyButton } from "../CopyButton";
import { Section } from "./Section";
import type { ModelDetail } from "./types";

const INLINE_CODE = "rounded bg-slate-100 px-1 font-mono";

const BADGE: Record<UsageSnippet["status"], string> = {
  loads: "bg-emerald-50 text-emerald-800 ring-emerald-600/30",
  loads_with_flags: "bg-sky-50 text-sky-800 ring-sky-600/30",
  does_not_load: "bg-rose-50 text-rose-800 ring-rose-600/30",
  not_checked: "bg-slate-100 text-slate-700 ring-slate-500/30",
};

function Reasons({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="mt-2 text-sm text-slate-700">
      <p className="font-medium text-slate-900">{title}</p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function EngineUsage({ snippet }: { snippet: UsageSnippet }) {
  const headingId = `use-${snippet.engine}`;
  return (
    <div className="mt-5" role="group" aria-labelledby={headingId}>
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h3 id={headingId} className="text-sm font-semibold text-slate-900">
            {snippet.label}
          </h3>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE[snippet.status]}`}
          >
            {snippet.statusText}
          </span>
        </div>
        {snippet.code && (
          <CopyButton text={snippet.code} label={`Copy the ${snippet.label} command`} />
        )}
      </div>
      <Reasons
        title={snippet.status === "not_checked" ? "Why not" : "Why it does not load"}
        items={snippet.blockers}
      />
      <Reasons title="What the command adds" items={snippet.needs} />
      {snippet.code && (
        <pre
          tabIndex={0}
          aria-label={`${snippet.label} command`}
          className="mt-2 overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"
        >
          <code>{snippet.code}</code>
        </pre>
      )}
      <Reasons title="Good to know" items={snippet.notes} />
    </div>
  );
}

/**
 * How to load the adapter, per engine: whether it loads as it is, why not, and the exact command
 * (from the adapter's own files, via models.byId → serving).
 */
export function UsageSection({ model, baseModel }: { model: ModelDetail; baseModel: string }) {
  const { adapterDir, snippets, fromFacts } = usageSnippets(model, baseModel);
  return (
    <Section id="use-title" title="Use this adapter">
      <p className="text-sm text-slate-700">
        Download the files into <code className={INLINE_CODE}>./{adapterDir}</code>, then load them
        on top of the base model <code className={INLINE_CODE}>{baseModel}</code>.
        {fromFacts && " Each command below is made for this adapter's rank and modules."}
      </p>
      {snippets.map((snippet) => (
        <EngineUsage key={snippet.engine} snippet={snippet} />
      ))}
    </Section>
  );
}
