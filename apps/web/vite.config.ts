/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// Vitest runs route modules directly; the Remix plugin would try to build the whole app.
const isVitest = Boolean(process.env.VITEST);

export default defineConfig({
  plugins: [
    tailwindcss(),
    ...(isVitest
      ? []
      : [
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
