import type { WebhookEndpoint } from "@mad/db";

import { iso } from "../timestamps";

/** An endpoint as the API shows it: never its secret (that is shown once, by create). */
export function publicEndpoint(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    created_at: iso(endpoint.createdAt),
    disabled_at: endpoint.disabledAt ? iso(endpoint.disabledAt) : null,
    disabled_reason: endpoint.disabledReason,
  };
}
