export type {
  ArtifactStorage,
  ByteRange,
  PutOptions,
  PutResult,
  SignedUrlRequest,
  StoredObject,
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
export {
  StorageBackendError,
  StorageIntegrityError,
  StorageObjectNotFoundError,
  UnsafeObjectPathError,
} from "./errors";
export { assertSafeObjectPath, isSafeObjectPath } from "./paths";
export { attachmentDisposition } from "./content-disposition";
export { parseRange } from "./local/download-handler";
