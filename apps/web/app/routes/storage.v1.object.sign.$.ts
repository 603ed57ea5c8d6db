/**
 * Signed downloads of the local-disk storage backend, with Supabase's URL shape and token rules
 * (`/storage/v1/object/sign/{bucket}/{path}?token=…`). With Supabase storage, links point at
 * Supabase itself and this route answers 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

import { getServerContext } from "../server/context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const context = await getServerContext();
  if (!context.handleLocalDownload) return new Response("Not found", { status: 404 });
  return context.handleLocalDownload(request);
}
