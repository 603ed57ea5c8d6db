/**
 * A model's whole-model ZIP at its signed, expiring URL (`models.bundle` signs it). The token
 * is the only credential: no session is needed, so download tools and `curl -C -` work.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getServerContext } from "../server/context.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await getServerContext();
  return context.handleBundle(request, params.modelId ?? "");
}
