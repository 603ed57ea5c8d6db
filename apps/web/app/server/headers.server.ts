import type { WebEnv } from "../env.server";

/**
 * Where signed download links may point: the public origin (the local backend signs its URLs
 * with PUBLIC_BASE_URL, which is not 'self' when the page was opened under another name, e.g.
 * 127.0.0.1 for localhost) and Supabase Storage's origin. A per-file download is a form post
 * answered by a redirect there, and Chromium applies `form-action` to that redirect.
 */
export function downloadOrigins(
  env: Pick<WebEnv, "PUBLIC_BASE_URL" | "STORAGE_BACKEND" | "SUPABASE_STORAGE_URL">,
): string[] {
  const origins = new Set([new URL(env.PUBLIC_BASE_URL).origin]);
  if (env.STORAGE_BACKEND === "supabase" && env.SUPABASE_STORAGE_URL) {
    origins.add(new URL(env.SUPABASE_STORAGE_URL).origin);
  }
  return [...origins];
}

/** Security headers of every document response (and resource routes that render HTML). */
export function securityHeaders(
  headers: Headers,
  options: { nonce: string; production: boolean; downloadOrigins?: readonly string[] },
): void {
  const downloads = (options.downloadOrigins ?? []).map((origin) => ` ${origin}`).join("");
  const scriptSrc = options.production
    ? `'self' 'nonce-${options.nonce}'`
    : // Vite's dev server injects inline modules (React refresh) without our nonce.
      `'self' 'unsafe-inline'`;
  const csp = [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${options.production ? "" : " ws: wss:"}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${downloads}`,
    "frame-ancestors 'none'",
    // Downloads of signed URLs may come from the storage service's origin.
    "frame-src 'self'",
  ];
  if (!options.production) csp[2] = "style-src 'self' 'unsafe-inline'";
  headers.set("Content-Security-Policy", csp.join("; "));
  headers.set("X-Frame-Options", "DENY");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
}
