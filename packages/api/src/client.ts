/**
 * Typed client for other apps: `import { createModelsClient } from "@mad/api/client"`. Only types
 * come from the server side, so importing it pulls in no server code.
 */
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from "@trpc/client";
import { EventSource } from "eventsource";

import type { AppRouter } from "./root";

export type { AppRouter, RouterInputs, RouterOutputs } from "./root";

export interface ModelsClientOptions {
  /** Origin of the web app, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The user's access token, or a function returning a fresh one for every request. */
  token: string | (() => string | Promise<string>);
  /** Path of the endpoint; default `/api/trpc`. */
  endpoint?: string;
  fetch?: typeof fetch;
}

export type ModelsClient = TRPCClient<AppRouter>;

export function createModelsClient(options: ModelsClientOptions): ModelsClient {
  const url = new URL(options.endpoint ?? "/api/trpc", options.baseUrl).toString();
  const authorization = async () => {
    const token = typeof options.token === "function" ? await options.token() : options.token;
    return `Bearer ${token}`;
  };
  const baseFetch = options.fetch ?? fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // models.events: server-sent events; Node has no EventSource of its own, and the
        // browser's cannot send an Authorization header, so the `eventsource` package's, whose
        // requests go through a fetch that adds the token (asked for again on every reconnect).
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: async (input, init) =>
              baseFetch(input, {
                ...init,
                headers: { ...init.headers, authorization: await authorization() },
              }),
          }),
        }),
        false: httpBatchLink({
          url,
          // The server refuses larger batches (MAX_BATCH_SIZE in ./http).
          maxItems: 25,
          fetch: options.fetch,
          headers: async () => ({ authorization: await authorization() }),
        }),
      }),
    ],
  });
}
