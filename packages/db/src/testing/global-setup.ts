/**
 * Vitest globalSetup for any package whose tests need Postgres: starts one real, throw-away
 * embedded Postgres per test run on a free port, migrates a template database once, and hands
 * its URL to the test files, which each clone the template (`createTestDatabase`) in ~10 ms.
 *
 * Use in vitest.config.ts: `test: { globalSetup: ["@mad/db/testing/global-setup"] }`.
 */
import type { TestProject } from "vitest/node";

import { startThrowawayPostgres } from "../embedded";

export const TEMPLATE_DATABASE = "mad_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startThrowawayPostgres(TEMPLATE_DATABASE);
  project.provide("pgAdminUrl", cluster.adminUrl);
  project.provide("pgTemplateDatabase", TEMPLATE_DATABASE);
  return () => cluster.destroy();
}
