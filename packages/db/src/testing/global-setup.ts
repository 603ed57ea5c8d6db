/**
 * Vitest globalSetup for any package whose tests need Postgres: starts one real, throw-away
 * embedded Postgres per test run on a free port, migrates a template database once, and hands
 * its URL to the test files, which each clone the template (`createTestDatabase`) in ~10 ms.
 *
 * Use in vitest.config.ts: `test: { globalSetup: ["@mad/db/testing/global-setup"] }`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { startEmbeddedPostgres } from "../embedded";
import { runMigrations } from "../migrate";

export const TEMPLATE_DATABASE = "mad_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDatabase: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

export default async function setup(project: TestProject) {
  // Postgres runs as the `postgres` user, which must be able to write here.
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-test-pg-"));
  await import("node:fs/promises").then((fs) => fs.chmod(base, 0o777));
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(base, "data"),
    port: await freePort(),
    database: TEMPLATE_DATABASE,
    ephemeral: true,
  });
  await runMigrations(cluster.url);
  project.provide("pgAdminUrl", cluster.adminUrl);
  project.provide("pgTemplateDatabase", TEMPLATE_DATABASE);

  return async () => {
    await cluster.stop();
    await rm(base, { recursive: true, force: true });
  };
}
