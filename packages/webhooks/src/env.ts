/**
 * The deployment's webhook URL policy as environment variables: one shape for every process
 * that applies it (the web app at registration, the ingester at delivery), so both read the
 * same names the same way. It only describes variables; each app's env.ts reads them.
 */
import { z } from "zod";

import type { UrlPolicy } from "./url-policy";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

export const webhookPolicyEnvShape = {
  /** Allow http:// receivers (development, internal services). */
  WEBHOOK_ALLOW_HTTP: flag,
  /** Allow private, loopback, link-local and CGNAT receivers (internal services). */
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: flag,
};

export function webhookUrlPolicyOf(env: {
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: boolean;
}): UrlPolicy {
  return { allowHttp: env.WEBHOOK_ALLOW_HTTP, allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES };
}
