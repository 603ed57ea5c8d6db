/**
 * "Download all" on the model page is a plain link here, so it is one download with or without
 * JavaScript: it signs the model's bundle URL for the signed-in owner and redirects to it (the
 * browser saves the ZIP and stays on the page). When the model cannot be bundled the page comes
 * back with the reason.
 */
import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

import { apiErrorCode, notFound } from "../server/api-errors.server";
import { flashHeader, requireUser } from "../server/session.server";
import { modelIdFrom } from "./models.$modelId.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  const modelId = modelIdFrom(params);
  try {
    const bundle = await caller.models.bundle({ modelId });
    return redirect(bundle.url, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFound();
    const reason =
      code === "PRECONDITION_FAILED" && error instanceof Error
        ? error.message
        : "The download could not be prepared right now; please try again in a minute.";
    return redirect(`/models/${modelId}`, {
      headers: { "Set-Cookie": await flashHeader(`Download all failed: ${reason}`) },
    });
  }
}
