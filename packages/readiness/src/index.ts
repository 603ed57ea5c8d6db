export {
  databaseAndStorageChecks,
  READINESS_TIMEOUT_MS,
  type ReadinessCheck,
  type ReadinessReport,
  runReadinessChecks,
} from "./readiness";
