/**
 * GET /models/{id}/README.md: the model's card (models.card), as a Markdown download — or shown
 * as plain text with `?view=1`. The same 404 as the model page for another user's model.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { callApi } from "../server/api-errors.server";
import { requireUser } from "../server/session.server";
import { modelIdFrom } from "./models.$modelId.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  const modelId = modelIdFrom(params);
  const card = await callApi(() => caller.models.card({ modelId }));
  const view = new URL(request.url).searchParams.get("view") === "1";
  return new Response(card.markdown, {
    headers: {
      // Shown as text, never as HTML: the card holds the user's own words.
      "Content-Type": view ? "text/plain; charset=utf-8" : card.content_type,
      "Content-Disposition": view ? "inline" : `attachment; filename="${card.file_name}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
