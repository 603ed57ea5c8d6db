export type {
  ArtifactStorage,
  ByteRange,
  PutOptions,
  PutResult,
  SignedUrlRequest,
  StoredObject,
  SweepResult,
} from "./types";
export {
  createStorage,
  storageConfigSchema,
  type StorageConfig,
  type StorageConfigInput,
} from "./config";
export {
  createLocalStorage,
  LOCAL_SIGNED_URL_BASE_PATH,
  type LocalStorageOptions,
} from "./local/local-storage";
export {
  createLocalDownloadHandler,
  type LocalDownloadHandlerOptions,
} from "./local/download-handler";
export { createSupabaseStorage, type SupabaseStorageOptions } from "./supabase/supabase-storage";
export { DEFAULT_TUS_RETRY_DELAYS_MS } from "./supabase/tus";
export { supabaseKeyRole } from "./supabase/supabase-access";
export {
  StorageBackendError,
  StorageConfigError,
  type StorageFailureKind,
  StorageIntegrityError,
  StorageObjectNotFoundError,
  UnsafeObjectPathError,
} from "./errors";
export { assertSafeObjectPath, isSafeObjectPath } from "./paths";
export {
  localStorageDir,
  storageConfigFromEnv,
  storageEnvIssues,
  storageEnvSchema,
  storageEnvShape,
  type StorageEnv,
  type StorageEnvContext,
  type StorageEnvIssue,
} from "./env";
export { attachmentDisposition } from "./content-disposition";
export { ifRangeAllows, parseRange, type RangeAnswer } from "./local/range";
