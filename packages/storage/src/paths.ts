import { UnsafeObjectPathError } from "./errors";

/** Supabase's own limit on object names; the local backend keeps to it so both behave alike. */
const MAX_PATH_LENGTH = 1024;
/** Prefix of in-flight upload files of the local backend; object names may not look like them. */
export const LOCAL_TEMP_PREFIX = ".mad-upload-";

/**
 * Why `path` is unsafe, or null when it is a safe object path inside a bucket: relative,
 * `/`-separated, no empty, `.` or `..` segments, no backslash, NUL or control characters.
 * `?`, `#` and `%` are refused too: storage-js puts paths into request URLs without encoding them,
 * so such names would reach Supabase as a different path than the local backend stores.
 */
export function objectPathProblem(path: string): string | null {
  if (typeof path !== "string" || path.length === 0) return "it is empty";
  if (path.length > MAX_PATH_LENGTH) return `it is longer than ${MAX_PATH_LENGTH} characters`;
  if (path.startsWith("/")) return "it is absolute";
  if (path.includes("\\")) return "it contains a backslash";
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) return "it contains a control character";
  if (/[?#%]/.test(path)) return "it contains '?', '#' or '%'";
  if (/^[A-Za-z]:/.test(path)) return "it starts with a drive letter";
  for (const segment of path.split("/")) {
    if (segment === "") return "it has an empty segment";
    if (segment === "." || segment === "..") return "it has a '.' or '..' segment";
    if (segment.trim() === "") return "it has a blank segment";
    if (segment.startsWith(LOCAL_TEMP_PREFIX))
      return `a segment starts with the reserved "${LOCAL_TEMP_PREFIX}"`;
  }
  return null;
}

/**
 * What Supabase itself accepts as an object key (no rule about our reserved prefix): the
 * stand-in checks keys with this, like the real server.
 */
export function isValidServerKey(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || path.startsWith("/")) return false;
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

export function isSafeObjectPath(path: string): boolean {
  return objectPathProblem(path) === null;
}

export function assertSafeObjectPath(path: string): void {
  const problem = objectPathProblem(path);
  if (problem !== null) throw new UnsafeObjectPathError(path, problem);
}

/**
 * A folder prefix for `list`: "" (the bucket's top level) or a safe path, with or without a
 * trailing "/". Returns it without the trailing slash.
 */
export function normalizeFolderPrefix(prefix: string): string {
  if (prefix === "" || prefix === "/") return "";
  const folder = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  assertSafeObjectPath(folder);
  return folder;
}

const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isSafeBucketName(bucket: string): boolean {
  return BUCKET_NAME.test(bucket) && !bucket.includes("..");
}

/** Encodes each segment for a URL path, keeping the `/` separators. */
export function encodeObjectPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
