// The database's public surface: schema, client, migrations and the artifact lifecycle.
// Embedded Postgres lives in `@mad/db/dev`, fake-data factories (the demo seed's and the tests')
// in `@mad/db/factories`, test databases and artifact factories in `@mad/db/testing`.
export {
  ALIAS_PATTERN,
  type AliasRemoval,
  inModelLine,
  type ModelLine,
  modelLineAliases,
  moveAlias,
  type MoveAliasResult,
  removeAlias,
  resolveAlias,
} from "./aliases";
export * from "./artifacts";
export { createDb, type Database, type DbClient, type Sql } from "./client";
export { DEMO_USERS, type DemoUser } from "./demo";
export { poolModeSchema, postgresUrlSchema, readDbEnv } from "./env";
export {
  ARTIFACT_EVENTS_CHANNEL,
  type ArtifactEvent,
  type ArtifactEventHub,
  artifactEventSchema,
  createArtifactEventHub,
} from "./events";
export { migrationsFolder, type MigrationStatus, migrationStatus, runMigrations } from "./migrate";
export { assertPoolMode, behavesLikeTransactionPooler, type PoolMode } from "./pool-mode";
export { allOf, anyOf, returnedRow } from "./query-helpers";
export { resolveDatabase, type ResolvedDatabase } from "./resolve";
export * from "./schema";
export type * from "./types";
