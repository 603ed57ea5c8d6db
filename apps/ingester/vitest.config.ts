import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["@mad/db/testing/global-setup"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The multi-process tests spawn ingesters of their own; two files at once is plenty on 2 cores.
    maxWorkers: 2,
  },
});
