/** `mad models list` and `mad models show <id>`: a table for people, the API's JSON for scripts. */
import type { ModelsClient, RouterOutputs } from "@mad/api/client";

type ListOutput = RouterOutputs["models"]["list"];
type ModelOutput = RouterOutputs["models"]["byId"];

export interface ListOptions {
  page: number;
  limit: number;
  sort: "created_at" | "quality";
  search?: string;
  json: boolean;
}

export async function listModels(
  client: ModelsClient,
  options: ListOptions,
  write: (text: string) => void,
): Promise<void> {
  const result = await client.models.list.query({
    page: options.page,
    limit: options.limit,
    sort: options.sort,
    ...(options.search ? { q: options.search } : {}),
  });
  if (options.json) {
    write(`${JSON.stringify(result)}\n`);
    return;
  }
  write(formatList(result));
}

export async function showModel(
  client: ModelsClient,
  modelId: string,
  json: boolean,
  write: (text: string) => void,
): Promise<void> {
  const model = await client.models.byId.query({ modelId });
  write(json ? `${JSON.stringify(model)}\n` : formatModel(model));
}

function score(metrics: { overall_score: number | null } | null): string {
  return metrics?.overall_score == null ? "not rated" : `${metrics.overall_score}/5`;
}

export function formatList(result: ListOutput): string {
  const { page, totalPages, total } = result.pagination;
  const rows = result.models.map((model) =>
    [model.id, model.status.padEnd(10), score(model.quality_metrics).padEnd(9), model.name].join(
      "  ",
    ),
  );
  const footer = `page ${page} of ${Math.max(totalPages, 1)} (${total} models)`;
  return `${[...rows, footer].join("\n")}\n`;
}

export function formatModel(model: ModelOutput): string {
  const lines = [
    `${model.name}  (${model.id})`,
    `status    ${model.status}${model.failure_reason ? ` — ${model.failure_reason}` : ""}`,
    `quality   ${score(model.quality_metrics)}`,
    `stored    ${model.stored_at ?? "—"}`,
    "files",
    ...model.files.map(
      (file) => `  ${file.sha256}  ${file.size_bytes.toString().padStart(12)}  ${file.name}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
