/**
 * Run by http.test.ts in a separate Node process (`tsx src/testing/remote-client.ts`): another
 * app calling the API over HTTP through the typed client. Prints one JSON line of results.
 */
import { TRPCClientError } from "@trpc/client";

import { createModelsClient } from "../client";

const baseUrl = process.env.API_BASE_URL!;
const token = process.env.API_TOKEN!;
const modelId = process.env.MODEL_ID!;

function failure(error: unknown) {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      { code?: string; fieldErrors?: Record<string, string[]> } | undefined;
    return { code: data?.code, message: error.message, fieldErrors: data?.fieldErrors };
  }
  return { code: "UNEXPECTED", message: String(error) };
}

const client = createModelsClient({ baseUrl, token });
const anonymous = createModelsClient({ baseUrl, token: "not-a-token" });

// Batched: these three travel in one HTTP request.
const [list, model, download] = await Promise.all([
  client.models.list.query({ sort: "quality", limit: 5 }),
  client.models.byId.query({ modelId }),
  client.models.download.query({ modelId }),
]);
const badInput = await client.models.list.query({ limit: 1000 }).then(() => null, failure);
const notFound = await client.models.byId
  .query({ modelId: "00000000-0000-4000-8000-000000000000" })
  .then(() => null, failure);
const unauthorized = await anonymous.models.list.query().then(() => null, failure);
const marked = await client.notifications.markRead.mutate({ all: true });

console.log(
  JSON.stringify({
    total: list.pagination.total,
    names: list.models.map((m) => m.name),
    modelName: model.name,
    datasetName: model.dataset.name,
    files: Object.keys(download.download_urls),
    badInput,
    notFound,
    unauthorized,
    marked,
  }),
);
