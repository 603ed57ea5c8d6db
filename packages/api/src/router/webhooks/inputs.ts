/** The validated, bounded inputs of the webhooks procedures. */
import { z } from "zod";

import { WEBHOOK_EVENT_TYPES } from "@mad/webhooks";

const id = z.uuid({ error: "must be a UUID" });

export const createEndpointInput = z.object({
  // Bounded here and by the table's check; the URL policy (@mad/webhooks) judges the rest.
  url: z.string().trim().min(1, "give the endpoint's URL").max(2048),
  description: z.string().trim().max(200).optional(),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1, "pick at least one event")
    .max(WEBHOOK_EVENT_TYPES.length)
    .optional(),
});

export type CreateEndpointInput = z.output<typeof createEndpointInput>;

export const endpointIdInput = z.object({ endpointId: id });

export const deliveriesInput = z.object({
  endpointId: id,
  limit: z.int().min(1).max(100).default(20),
});

export type DeliveriesInput = z.output<typeof deliveriesInput>;

export const deliveryIdInput = z.object({ deliveryId: id });
