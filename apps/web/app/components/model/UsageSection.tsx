import { adapterDirName, peftSnippet, vllmSnippet } from "../../lib/snippets";
import { CopyButton } from "../CopyButton";
import { Section } from "./Section";

const INLINE_CODE = "rounded bg-slate-100 px-1 font-mono";

/** How to load the adapter on its base model: PEFT and vLLM snippets to copy. */
export function UsageSection({ modelName, baseModel }: { modelName: string; baseModel: string }) {
  const dir = adapterDirName(modelName);
  return (
    <Section id="use-title" title="Use this adapter">
      <p className="text-sm text-slate-700">
        Download the files into <code className={INLINE_CODE}>./{dir}</code>, then load them on top
        of the base model <code className={INLINE_CODE}>{baseModel}</code>.
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
  );
}
