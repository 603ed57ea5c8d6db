/**
 * POST /models/{id}/details: the owner changes the model's name, description and tags
 * (models.update), then goes back to the model page with a one-time message saying it was saved
 * or why not. A GET just goes to the model page.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { apiErrorCode, notFound } from "../server/api-errors.server";
import { modelFormPost, redirectToModelPage } from "./models.$modelId.server";

const detailsForm = z.object({
  name: z.string().max(200),
  description: z.string().max(10_000),
  tags: z.string().max(1_000),
});

export const loader = redirectToModelPage;

export async function action({ request, params }: ActionFunctionArgs) {
  const { caller, modelId, back } = await modelFormPost(request, params);
  const parsed = detailsForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return back("Details not saved: the form was too long.");
  const tags = parsed.data.tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  try {
    await caller.models.update({
      modelId,
      name: parsed.data.name,
      description: parsed.data.description,
      tags,
    });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFound();
    if (code === "BAD_REQUEST" && error instanceof Error) {
      // The lifecycle's refusals are sentences; a schema refusal (raw issue list) is not.
      const reason = error.message.startsWith("[")
        ? "check the name (1 to 200 characters), the description (at most 10000) and the tags (at most 20)."
        : error.message;
      return back(`Details not saved: ${reason}`);
    }
    throw error;
  }
  return back("Details saved.");
}
