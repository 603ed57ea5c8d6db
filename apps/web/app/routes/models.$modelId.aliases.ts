/**
 * POST /models/{id}/aliases: the owner moves an alias of the model's line to this model
 * (models.moveAlias) or takes one off it (models.removeAlias), then goes back to the model page
 * with a one-time message saying what happened or why not. A GET just goes to the model page.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { apiErrorCode, notFound } from "../server/api-errors.server";
import { modelFormPost, redirectToModelPage } from "./models.$modelId.server";

const aliasForm = z.object({
  intent: z.enum(["move", "remove"]),
  alias: z.string().max(100),
});

export const loader = redirectToModelPage;

export async function action({ request, params }: ActionFunctionArgs) {
  const { caller, modelId, back } = await modelFormPost(request, params, "#line-title");
  const parsed = aliasForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return back("Alias not changed: the form was not understood.");
  const { intent, alias } = parsed.data;
  try {
    if (intent === "remove") {
      await caller.models.removeAlias({ modelId, alias });
      return back(`Removed the alias “${alias.trim().toLowerCase()}”.`);
    }
    const moved = await caller.models.moveAlias({ modelId, alias });
    return back(
      moved.moved
        ? `“${moved.alias}” now points at this model.`
        : `“${moved.alias}” already pointed at this model.`,
    );
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "BAD_REQUEST") {
      return back(
        "Alias not changed: use 1–32 lower-case letters, digits or dashes, starting with a letter.",
      );
    }
    if (code === "PRECONDITION_FAILED" && error instanceof Error) {
      return back(`Alias not changed: ${error.message.toLowerCase()}.`);
    }
    // Removing an alias the model does not hold (a stale page) is the same as a missing model
    // only when the model itself is gone; the page says which.
    if (code === "NOT_FOUND" && intent === "remove") {
      try {
        await caller.models.byId({ modelId });
      } catch {
        notFound();
      }
      return back(`Alias not changed: this model does not hold “${alias}”.`);
    }
    if (code === "NOT_FOUND") notFound();
    throw error;
  }
}
