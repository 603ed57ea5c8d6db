// Development and test infrastructure: an embedded Postgres started from the npm registry's
// binaries. Production code reaches it only through `resolveDatabase` (when DATABASE_URL is unset).
export {
  type EmbeddedPostgresHandle,
  findFreePort,
  startEmbeddedPostgres,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from "./embedded";
