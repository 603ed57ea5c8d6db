/**
 * Node-level guards that run in front of Remix (server.js, and the Vite dev server through
 * vite.config.ts): a malformed address gets a short 400 instead of a router or Vite error page
 * with a stack trace, and production responses carry HSTS.
 */
import type { NodeMiddleware } from "./body-limit.server";

/** One year, subdomains included: the dashboard is only ever served over HTTPS in production. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

const MALFORMED_MESSAGE = "This address is not valid. Check the link and try again.";

/** Whether a request target's path cannot be percent-decoded (e.g. `/%E0`). */
export function isMalformedPath(target: string): boolean {
  const path = target.split(/[?#]/, 1)[0] ?? "";
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export function refuseMalformedPaths(): NodeMiddleware {
  return (request, response, next) => {
    if (!isMalformedPath(request.url ?? "/")) {
      next();
      return;
    }
    response.writeHead(400, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(MALFORMED_MESSAGE),
      "X-Content-Type-Options": "nosniff",
    });
    response.end(MALFORMED_MESSAGE);
  };
}

export function strictTransportSecurity(production: boolean): NodeMiddleware {
  return (_request, response, next) => {
    if (production) response.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    next();
  };
}
