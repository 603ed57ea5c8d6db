/**
 * The `Range` and `If-Range` semantics of Supabase Storage v1.70.6, which both backends answer
 * with: one `bytes=` range; a range past the end, a reversed, malformed or multiple range is
 * refused (416 InvalidRange, not the whole file). `If-Range` (RFC 9110 §13.1.5) makes a resumed
 * download safe: when the object changed since the validator the client holds, the range is
 * ignored and the whole new object is sent.
 */
export type RangeAnswer = { start: number; end: number } | "invalid" | null;

export function parseRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return "invalid";
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return "invalid";
  if (first === "") {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return "invalid";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const requestedEnd = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(requestedEnd)) return "invalid";
  if (requestedEnd < start || start >= size) return "invalid";
  return { start, end: Math.min(requestedEnd, size - 1) };
}

/** Whether a `Range` may be honoured given the request's `If-Range` and the object's validators. */
export function ifRangeAllows(
  ifRange: string | null,
  validators: { etag: string; lastModified: Date },
): boolean {
  if (ifRange === null) return true;
  const value = ifRange.trim();
  // Entity tags compare strongly; a weak one never matches (RFC 9110 §13.1.5).
  if (value.startsWith('"') || value.startsWith("W/")) return value === validators.etag;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return false;
  return date === Math.floor(validators.lastModified.getTime() / 1000) * 1000;
}
