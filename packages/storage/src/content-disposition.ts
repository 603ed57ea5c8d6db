/**
 * `Content-Disposition: attachment` for a user-visible file name. The quoted `filename` is an
 * ASCII fallback with quotes, backslashes, separators and control characters replaced (no header
 * injection); `filename*` (RFC 5987) carries the exact UTF-8 name when it is not plain ASCII.
 */
export function attachmentDisposition(fileName: string): string {
  // Control characters (CR/LF included) are stripped.
  const cleaned = fileName
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[/\\]/g, "_")
    .trim();
  const name = cleaned === "" ? "download" : cleaned;
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["]/g, "_");
  if (fallback === name) return `attachment; filename="${fallback}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
