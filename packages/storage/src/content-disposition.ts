/**
 * `Content-Disposition` exactly as Supabase Storage v1.70.6 sends it for `?download=`:
 * `attachment; filename=<encodeURIComponent(name)>; filename*=UTF-8''<same>` — both parameters,
 * unquoted — and `attachment;` alone for an empty name. encodeURIComponent leaves no quote, `;`,
 * CR or LF, so no name can inject a header or a parameter. Browsers and
 * `wget --content-disposition` decode it; `curl -OJ` saves `%20` literally, as with Supabase.
 */
export function attachmentDisposition(fileName: string): string {
  if (fileName === "") return "attachment;";
  const encoded = encodeURIComponent(fileName);
  return `attachment; filename=${encoded}; filename*=UTF-8''${encoded}`;
}
