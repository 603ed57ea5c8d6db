/**
 * webhooks.create: registers an endpoint for the caller. The URL must pass the deployment's
 * policy (https; no private or loopback address unless allowed — @mad/webhooks, the same rule the
 * delivery worker applies at connect time). The answer carries the signing secret: the only time
 * it is shown.
 */
import { returnedRow, webhookEndpoints } from "@mad/db";
import { checkEndpointUrl, EndpointUrlError, generateWebhookSecret } from "@mad/webhooks";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { type CreateEndpointInput, createEndpointInput } from "./inputs";
import { publicEndpoint } from "./output";
import { ownedEndpoint } from "./ownership";

/** Enough for every service of a user; bounds what one account can make the worker do. */
const MAX_ENDPOINTS = 20;

export async function createEndpoint(ctx: AuthenticatedContext, input: CreateEndpointInput) {
  let url: URL;
  try {
    url = checkEndpointUrl(input.url, ctx.webhookUrlPolicy);
  } catch (error) {
    if (error instanceof EndpointUrlError)
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Endpoint URL refused: ${error.message}`,
      });
    throw error;
  }
  const existing = await ctx.db.$count(webhookEndpoints, ownedEndpoint(ctx));
  if (existing >= MAX_ENDPOINTS) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `At most ${MAX_ENDPOINTS} webhook endpoints; delete one first`,
    });
  }
  const rows = await ctx.db
    .insert(webhookEndpoints)
    .values({
      userId: ctx.userId,
      url: url.toString(),
      description: input.description || null,
      ...(input.eventTypes ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
      secret: generateWebhookSecret(),
      createdAt: ctx.now(),
    })
    .returning();
  const created = returnedRow(rows, "webhooks.create");
  return { ...publicEndpoint(created), secret: created.secret };
}

export const createEndpointProcedure = protectedProcedure
  .input(createEndpointInput)
  .mutation(({ ctx, input }) => createEndpoint(ctx, input));
