/**
 * A model card (README.md) in the Hugging Face format — YAML front matter (`base_model`,
 * `library_name: peft`, `tags`, `datasets`) and Markdown — that says only what we know: the
 * adapter's own facts, the dataset, the job's configuration, the quality verdict and its numbers,
 * the training diagnostics, the files with their sha256, and how to load it (the serving
 * verdicts' commands). Pure: it formats what models.byId and the diagnostics return. Front-matter
 * values are JSON strings, which YAML reads as double-quoted scalars, so no user text can break
 * out of them.
 */
import type { ServingVerdict } from "@mad/adapters";
import type { AdapterFactsRecord, ArtifactFile, QualityMetricsRecord } from "@mad/db";
import type { TrainingDiagnostics } from "@mad/quality";

export interface ModelCardInput {
  name: string;
  description: string | null;
  tags: string[];
  baseModel: string | null;
  dataset: { name: string; format: string; total_training_pairs: number };
  configuration: {
    preset_id: string;
    hyperparameters: Record<string, unknown>;
    gpu_config: { type: string; count: number } | null;
  } | null;
  trainedAt: string | null;
  quality: QualityMetricsRecord | null;
  summary: {
    epochs_completed: number | null;
    total_steps: number | null;
    training_duration_hours: number | null;
  } | null;
  facts: AdapterFactsRecord | null;
  serving: ServingVerdict[] | null;
  diagnostics: TrainingDiagnostics;
  files: Pick<ArtifactFile, "name" | "size_bytes" | "sha256">[];
}

const yaml = (value: string) => JSON.stringify(value);
const num = (value: number, digits = 4) => String(Number(value.toPrecision(digits)));
/** Markdown table cell: no line breaks, pipes escaped. */
const cell = (value: string) => value.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
/** Inline code that no backtick in the value can end early. */
const code = (value: string) => {
  const fence = value.includes("`") ? "``" : "`";
  return `${fence}${value.replace(/\r?\n/g, " ")}${fence}`;
};

function frontMatter(input: ModelCardInput): string[] {
  const tags = ["peft", "lora", ...input.tags.filter((tag) => tag !== "peft" && tag !== "lora")];
  return [
    "---",
    ...(input.baseModel ? [`base_model: ${yaml(input.baseModel)}`] : []),
    "library_name: peft",
    "tags:",
    ...tags.map((tag) => `  - ${yaml(tag)}`),
    "datasets:",
    `  - ${yaml(input.dataset.name)}`,
    "---",
  ];
}

function adapterSection(facts: AdapterFactsRecord | null): string[] {
  if (!facts) return ["## Adapter", "", "The adapter's files have not been read for this model."];
  const rows: [string, string][] = [
    ["PEFT type", facts.peft_type ?? "not stated"],
    ["Task type", facts.task_type ?? "not stated"],
    [
      "Rank (r)",
      String(
        facts.max_rank === facts.rank ? facts.rank : `${facts.rank} (up to ${facts.max_rank})`,
      ),
    ],
    ["Alpha", num(facts.alpha)],
    [
      "Scaling",
      `${num(facts.scaling)}${facts.use_rslora ? " (rsLoRA: alpha / √r)" : " (alpha / r)"}`,
    ],
    ["Target modules", facts.target_modules_regex ?? (facts.target_modules.join(", ") || "none")],
    ["Modules saved whole", facts.modules_to_save.join(", ") || "none"],
    ["DoRA", facts.use_dora ? "yes" : "no"],
    ["Parameters", facts.tensors.parameter_count.toLocaleString("en-US")],
    [
      "Tensors",
      `${facts.tensors.count} (${Object.entries(facts.tensors.dtypes)
        .map(([d, n]) => `${d} × ${n}`)
        .join(", ")})`,
    ],
  ];
  return [
    "## Adapter",
    "",
    "Read from `adapter_config.json` and the safetensors header.",
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([label, value]) => `| ${label} | ${cell(value)} |`),
  ];
}

function trainingSection(input: ModelCardInput): string[] {
  const lines = ["## Training", ""];
  lines.push(
    `- Dataset: ${cell(input.dataset.name)} (${cell(input.dataset.format)}, ${input.dataset.total_training_pairs.toLocaleString("en-US")} training pairs)`,
  );
  if (input.configuration) {
    lines.push(`- Preset: ${cell(input.configuration.preset_id)}`);
    const hyper = Object.entries(input.configuration.hyperparameters).filter(
      ([, value]) => typeof value === "number" || typeof value === "string",
    );
    for (const [key, value] of hyper) lines.push(`- ${cell(key)}: ${cell(String(value))}`);
    if (input.configuration.gpu_config) {
      lines.push(
        `- GPUs: ${input.configuration.gpu_config.count} × ${cell(input.configuration.gpu_config.type)}`,
      );
    }
  }
  if (input.summary?.epochs_completed != null)
    lines.push(`- Epochs: ${input.summary.epochs_completed}`);
  if (input.summary?.total_steps != null) lines.push(`- Steps: ${input.summary.total_steps}`);
  if (input.summary?.training_duration_hours != null) {
    lines.push(`- Duration: ${num(input.summary.training_duration_hours, 3)} hours`);
  }
  if (input.trainedAt) lines.push(`- Trained: ${input.trainedAt.slice(0, 10)}`);
  return lines;
}

function qualitySection(quality: QualityMetricsRecord | null): string[] {
  const lines = ["## Quality", ""];
  if (!quality || quality.overall_score === null) {
    lines.push("Not rated: the loss history is too short to score.");
    return lines;
  }
  lines.push(`Score ${quality.overall_score}/5 (${quality.convergence_quality}), because:`, "");
  if (quality.loss_reduction_percent !== null) {
    lines.push(`- the training loss fell ${num(quality.loss_reduction_percent, 3)}%`);
  }
  if (quality.final_training_loss !== null) {
    lines.push(`- final training loss ${num(quality.final_training_loss)}`);
  }
  if (quality.final_validation_loss !== null) {
    lines.push(`- final validation loss ${num(quality.final_validation_loss)}`);
  }
  if (quality.perplexity !== null) lines.push(`- perplexity ${num(quality.perplexity)}`);
  if (quality.convergence_quality === "overfit") {
    lines.push(
      "- the validation loss ends more than 0.5 above the training loss (overfit: one star off)",
    );
  }
  return lines;
}

function loadingSection(serving: ServingVerdict[] | null): string[] {
  const lines = ["## How to load it", ""];
  if (!serving) {
    lines.push("Load it with PEFT (`PeftModel.from_pretrained`) on its base model.");
    return lines;
  }
  for (const verdict of serving) {
    lines.push(`### ${verdict.label}`, "");
    const status = {
      loads: "Loads as it is.",
      loads_with_flags: "Loads with the settings below.",
      does_not_load: "Does not load.",
      not_checked: "Not checked.",
    }[verdict.status];
    lines.push(status, "");
    for (const note of [...verdict.blockers, ...verdict.needs]) lines.push(`- ${note.message}`);
    if (verdict.blockers.length + verdict.needs.length > 0) lines.push("");
    if (verdict.command) {
      lines.push(
        `\`\`\`${verdict.language === "shell" ? "sh" : "python"}`,
        verdict.command,
        "```",
        "",
      );
    }
  }
  return lines;
}

export function modelCardMarkdown(input: ModelCardInput): string {
  const lines = [
    ...frontMatter(input),
    "",
    `# ${input.name.replace(/\r?\n/g, " ")}`,
    "",
    input.description?.trim() ||
      `A LoRA adapter${input.baseModel ? ` for ${code(input.baseModel)}` : ""}, fine-tuned on the dataset “${input.dataset.name.replace(/\r?\n/g, " ")}”.`,
    "",
    ...adapterSection(input.facts),
    "",
    ...trainingSection(input),
    "",
    ...qualitySection(input.quality),
    "",
    "## What happened in training",
    "",
    ...input.diagnostics.summary.map((sentence) => `- ${sentence}`),
    "",
    "## Files",
    "",
    "| File | Size (bytes) | sha256 |",
    "| --- | ---: | --- |",
    ...input.files.map(
      (file) => `| ${cell(file.name)} | ${file.size_bytes} | ${code(file.sha256)} |`,
    ),
    "",
    ...loadingSection(input.serving),
  ];
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
