/**
 * The tRPC HTTP endpoint for other services (`Authorization: Bearer <access token>`). Browser
 * pages do not use it: their loaders call the same procedures in-process.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { getServerContext } from "../server/context.server";

async function handle({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  const context = await getServerContext();
  return context.handleTrpc(request);
}

export const loader = handle;
export const action = handle;
