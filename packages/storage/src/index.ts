export {
  createStorage,
  type StorageConfig,
  type StorageConfigInput,
  storageConfigSchema,
} from "./config";
export { attachmentDisposition } from "./content-disposition";
export {
  localStorageDir,
  storageConfigFromEnv,
  type StorageEnv,
  type StorageEnvContext,
  type StorageEnvIssue,
  storageEnvIssues,
  storageEnvSchema,
  storageEnvShape,
} from "./env";
export {
  StorageBackendError,
  StorageConfigError,
  type StorageFailureKind,
  StorageIntegrityError,
  StorageObjectNotFoundError,
  UnsafeObjectPathError,
} from "./errors";
export {
  createLocalDownloadHandler,
  type LocalDownloadHandlerOptions,
} from "./local/download-handler";
export {
  createLocalStorage,
  LOCAL_SIGNED_URL_BASE_PATH,
  type LocalStorageOptions,
} from "./local/local-storage";
export { ifRangeAllows, parseRange, type RangeAnswer } from "./local/range";
export { assertSafeObjectPath, isSafeObjectPath } from "./paths";
export { supabaseKeyRole } from "./supabase/supabase-access";
export { createSupabaseStorage, type SupabaseStorageOptions } from "./supabase/supabase-storage";
export { DEFAULT_TUS_RETRY_DELAYS_MS } from "./supabase/tus";
// Every type of the storage interface is public: types.ts holds nothing else.
export type * from "./types";
