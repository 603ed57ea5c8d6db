/**
 * The one storage interface of the product (SPEC §8). Two backends implement it: local disk
 * (the embedded default) and Supabase Storage. The ingester writes through it; the API signs
 * download URLs through it. Paths are `{user_id}/{artifact_id}/{file name}` inside the bucket.
 */
import type { Readable } from "node:stream";

export interface PutOptions {
  contentType: string;
  /** When given, a body of another size fails the put and leaves nothing at `path`. */
  expectedSizeBytes?: number;
  /** When given (lowercase hex), a body with another sha256 fails and leaves nothing at `path`. */
  expectedSha256?: string;
  /** Called as bytes go through (at most a few times per second), for progress reporting. */
  onProgress?: (bytesWritten: number) => void;
  signal?: AbortSignal;
}

export interface PutResult {
  path: string;
  sizeBytes: number;
  /** Lowercase hex sha256 of exactly the bytes stored. */
  sha256: string;
  /** CRC-32 of exactly the bytes stored (unsigned 32-bit; what a ZIP entry records). */
  crc32: number;
}

/** Inclusive byte range of an object, like an HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface SignedUrlRequest {
  path: string;
  /** File name the browser saves the download under (Content-Disposition: attachment). */
  downloadName: string;
}

export interface StoredObject {
  path: string;
  sizeBytes: number;
}

export interface ArtifactStorage {
  readonly backend: "local" | "supabase";
  readonly bucket: string;
  /**
   * Streams `body` to `path` with memory that does not grow with its size, computing size and
   * sha256 on the way. All or nothing: if the body errors, is aborted, or fails an expectation,
   * no object is left at `path` (an older object at `path` is replaced only on success).
   */
  put(
    path: string,
    body: Readable | ReadableStream<Uint8Array>,
    options: PutOptions,
  ): Promise<PutResult>;
  /** A URL that downloads `path` until `expiresInSeconds` from now; never stored anywhere. */
  createSignedUrl(request: SignedUrlRequest, expiresInSeconds: number): Promise<string>;
  /** Batch form (one round trip where the backend allows); result in the order of `requests`. */
  createSignedUrls(requests: SignedUrlRequest[], expiresInSeconds: number): Promise<string[]>;
  /**
   * The object's bytes (all, or the inclusive `range`) as a stream read on demand, so memory
   * stays flat however large the object. Rejects with StorageObjectNotFoundError when missing,
   * RangeError when the range is not inside the object.
   */
  read(path: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable>;
  /** Objects directly under `prefix` (a folder such as `{user_id}/{artifact_id}/`). */
  list(prefix: string): Promise<StoredObject[]>;
  /** Removes the objects; missing ones are ignored. */
  remove(paths: string[]): Promise<void>;
  /**
   * Removes everything under the folder `prefix` (e.g. `{user_id}/{artifact_id}/`): objects,
   * the local backend's temporary and partial files (hidden ones too), and on Supabase the
   * resumable uploads still open for paths in it (terminated on the server).
   */
  removeFolder(prefix: string): Promise<void>;
  /**
   * Removes what writers that died left behind (a SIGKILLed worker's temporary files; Supabase
   * resumable uploads nobody finished or terminated) untouched for `olderThanMs`.
   */
  sweepStale(options: { olderThanMs: number }): Promise<SweepResult>;
  /**
   * Checks at start-up that the backend can be used as configured (Supabase: the key is a
   * service_role key, the bucket exists and is private; local: the folder is writable). Throws
   * StorageConfigError naming the variable to fix, never its value.
   */
  verifyAccess(): Promise<void>;
}

export interface SweepResult {
  /** Temporary files removed (local) or abandoned uploads terminated (Supabase). */
  removed: number;
}
