/**
 * A same-site relative path to come back to after login, or `fallback`. Rejects absolute URLs,
 * protocol-relative `//host`, backslash tricks and control characters (open-redirect defence).
 */
export function safeRedirectPath(value: unknown, fallback = "/models"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  try {
    const parsed = new URL(value, "http://same.invalid");
    if (parsed.origin !== "http://same.invalid") return fallback;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return fallback;
  }
}
