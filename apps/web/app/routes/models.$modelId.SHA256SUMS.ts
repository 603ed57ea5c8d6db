/**
 * The model's SHA256SUMS on its own, for `sha256sum -c SHA256SUMS` next to files downloaded one
 * by one (the bundle carries the same file).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { apiErrorCode, callApi } from "../server/api-errors.server";
import { requireUser } from "../server/session.server";
import { modelIdFrom } from "./models.$modelId.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  let sums;
  try {
    sums = await callApi(() => caller.models.checksums({ modelId: modelIdFrom(params) }));
  } catch (error) {
    // Still ingesting or failed: say so rather than a server error.
    if (apiErrorCode(error) !== "PRECONDITION_FAILED" || !(error instanceof Error)) throw error;
    return new Response(`${error.message}\n`, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(sums.text, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${sums.file_name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
