/**
 * A same-site relative path to come back to after login (or to link to from a notification),
 * or `fallback`. The value is normalised first (dot segments, percent-encoding, backslashes as
 * the URL parser reads them) and the *result* is checked: checking the raw text and returning
 * the normalised one let `/..//evil.example` become `//evil.example` (open redirect).
 */
const SAME_SITE = "http://same-site.invalid";

export function safeRedirectPath(value: unknown, fallback = "/models"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Raw control characters and backslashes have no place in a path we produced ourselves.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  if (!value.startsWith("/")) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, SAME_SITE);
  } catch {
    return fallback;
  }
  if (parsed.origin !== SAME_SITE) return fallback;
  const path = parsed.pathname + parsed.search + parsed.hash;
  return isSameSitePath(path) ? path : fallback;
}

/**
 * What a browser resolves against our own origin whatever the base: one leading slash, not two
 * (protocol-relative) and not a slash followed by a backslash (read as `//` by browsers).
 */
function isSameSitePath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return false;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  // A second look through the parser must give the same origin and path (idempotent).
  const again = new URL(path, SAME_SITE);
  return again.origin === SAME_SITE && again.pathname + again.search + again.hash === path;
}
