/**
 * The one cross-site request rule of the product (docs/decisions/0014-csrf.md). Both the tRPC
 * endpoint (cookie-authenticated mutations) and the dashboard's form posts (in server.js, ahead
 * of Remix, and again in every action) ask this function, so they cannot drift apart.
 *
 * A state-changing request is the site's own when the browser says so:
 * - `Sec-Fetch-Site: same-origin` — set by the browser, not by page scripts, and computed
 *   against the URL the browser used, so it stays right behind a proxy that rewrites `Host`;
 * - else an `Origin` that is the request's own origin or a trusted one (the public origin,
 *   PUBLIC_BASE_URL, when a proxy rewrites `Host`); `Origin: null` is never trusted;
 * - else `Sec-Fetch-Site: none` (typed into the address bar, a bookmark).
 * A request with none of these headers is not trusted: every browser that can be tricked into a
 * cross-site post sends at least one of them on it.
 */

/** What the rule needs of a request: a fetch `Request` has it, and so does an adapter for Node's. */
export interface OriginCheckRequest {
  url: string;
  headers: { get(name: string): string | null };
}

export const CROSS_SITE_REFUSAL_MESSAGE =
  "This form was sent from another site and was refused. Open the page on this site and try again.";

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isStateChangingMethod(method: string): boolean {
  return STATE_CHANGING_METHODS.has(method.toUpperCase());
}

export function isSameOriginRequest(
  request: OriginCheckRequest,
  trustedOrigins: readonly string[] = [],
): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "same-origin") return true;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== "null") {
    return origin === new URL(request.url).origin || trustedOrigins.includes(origin);
  }
  return site === "none";
}

/** The origin of a configured public URL (`https://models.example.com/app` → its origin). */
export function originOf(url: string): string {
  return new URL(url).origin;
}
