/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";

import type * as WebEnvModule from "./app/env.server";
import { refuseCrossSitePosts } from "./app/server/cross-site.server";
import { refuseMalformedPaths } from "./app/server/http-hardening.server";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * The Vite dev server gets server.js's guards that matter while developing: `/%E0` would
 * otherwise answer with Vite's error page (stack trace, absolute paths), and a cross-site post
 * with Remix's empty 500.
 */
function devServerGuards(): Plugin {
  return {
    name: "mad-dev-server-guards",
    async configureServer(server) {
      // Through Vite's loader: the env file imports workspace packages compiled from source,
      // which Node cannot load on its own while it reads this config.
      const { readWebEnv } = (await server.ssrLoadModule(
        "/app/env.server.ts",
      )) as typeof WebEnvModule;
      // A broken configuration is reported by the app itself, with the variable's name.
      let publicOrigin: string | null = null;
      try {
        publicOrigin = new URL(readWebEnv().PUBLIC_BASE_URL).origin;
      } catch {
        publicOrigin = null;
      }
      server.middlewares.use(refuseMalformedPaths());
      server.middlewares.use(
        refuseCrossSitePosts({
          publicOrigin,
          exemptPathPrefixes: ["/api/trpc/"],
          onRefused: (details) =>
            server.config.logger.warn(`cross-site form post refused: ${JSON.stringify(details)}`),
        }),
      );
    },
  };
}

// Vitest runs route modules directly; the Remix plugin would try to build the whole app.
const isVitest = Boolean(process.env.VITEST);

export default defineConfig({
  plugins: [
    tailwindcss(),
    ...(isVitest
      ? []
      : [
          devServerGuards(),
          remix({
            // Route tests and a route's server module sit next to it; they are not routes.
            ignoredRouteFiles: ["**/*.test.ts", "**/*.server.ts", "**/.*"],
            future: {
              v3_fetcherPersist: true,
              v3_relativeSplatPath: true,
              v3_throwAbortReason: true,
              v3_lazyRouteDiscovery: true,
              v3_singleFetch: true,
            },
          }),
        ]),
  ],
  server: { port: 3000 },
  test: {
    include: ["app/**/*.test.ts"],
    globalSetup: ["@mad/db/testing/global-setup"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
