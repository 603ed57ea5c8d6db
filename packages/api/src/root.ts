import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import { type ApiDeps, createContext } from "./context";
import { modelsRouter } from "./router/models";
import { notificationsRouter } from "./router/notifications";
import { webhooksRouter } from "./router/webhooks";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  models: modelsRouter,
  notifications: notificationsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

const createCaller = createCallerFactory(appRouter);

export type ServerCaller = ReturnType<typeof createCaller>;

/**
 * In-process entry for the dashboard's loaders and actions (no HTTP hop). `userId` is the user
 * the web app's session already proved; null (or anything that is not a UUID) is anonymous, and
 * every procedure then answers UNAUTHORIZED.
 */
export function createServerCaller(
  deps: ApiDeps,
  options: { userId: string | null; requestId?: string },
): ServerCaller {
  const userId =
    options.userId &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.userId)
      ? options.userId.toLowerCase()
      : null;
  return createCaller(
    createContext(deps, { userId, authSource: "server", requestId: options.requestId }),
  );
}
