/** Security headers of every document response (and resource routes that render HTML). */
export function securityHeaders(
  headers: Headers,
  options: { nonce: string; production: boolean },
): void {
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
    "form-action 'self'",
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
