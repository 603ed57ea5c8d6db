export * from "./schema";
export type * from "./types";
export { createDb, type Database, type DbClient, type Sql } from "./client";
export { runMigrations, migrationsFolder } from "./migrate";
export {
  findFreePort,
  startEmbeddedPostgres,
  startThrowawayPostgres,
  type EmbeddedPostgresHandle,
  type ThrowawayPostgres,
} from "./embedded";
export { resolveDatabase, type ResolvedDatabase } from "./resolve";
export { readDbEnv } from "./env";
export * from "./factories";
export { DEMO_USERS, type DemoUser } from "./demo";
export * from "./artifacts";
