/**
 * The dashboard's session: a signed, HttpOnly, SameSite=Lax cookie holding the user's access
 * token. Every request re-verifies the token, so an expired or forged one means "log in again".
 */
import { data, redirect } from "@remix-run/node";

import { safeRedirectPath } from "../lib/safe-redirect";
import { getServerContext, type ServerCaller, type ServerContext } from "./context.server";
import { requestIdOf } from "./request-id.server";

export { safeRedirectPath };

export interface SessionUser {
  id: string;
  email: string | null;
}

export interface AuthenticatedRequest {
  user: SessionUser;
  context: ServerContext;
  caller: ServerCaller;
}

export function loginUrlFor(request: Request): string {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  return back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`;
}

export async function getSession(request: Request) {
  const context = await getServerContext();
  return {
    context,
    session: await context.sessionStorage.getSession(request.headers.get("Cookie")),
  };
}

interface VerifiedSession {
  user: SessionUser;
  /** Token expiry (ms since epoch): a cached verification never outlives its token. */
  expiresAt: number;
}

/**
 * Verified sessions by their exact cookie value. Every page runs two loaders (root + route)
 * and a user clicks through many pages: without this each would re-check two HMAC signatures
 * (cookie and token) through WebCrypto's thread pool. Same bytes, same answer — only the
 * token's expiry can change it, and entries are dropped at that time (and after a minute).
 */
const verifiedSessions = new Map<string, VerifiedSession>();
const VERIFIED_SESSION_TTL_MS = 60_000;
const VERIFIED_SESSION_MAX = 5_000;

function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** The logged-in user, or null (an invalid or expired token counts as logged out). */
export async function getOptionalUser(request: Request): Promise<AuthenticatedRequest | null> {
  const context = await getServerContext();
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader) return null;
  const now = Date.now();
  const cached = verifiedSessions.get(cookieHeader);
  if (cached && cached.expiresAt > now) {
    return {
      user: cached.user,
      context,
      caller: context.callerFor(cached.user.id, requestIdOf(request)),
    };
  }
  if (cached) verifiedSessions.delete(cookieHeader);

  const session = await context.sessionStorage.getSession(cookieHeader);
  const token = session.get("accessToken");
  if (!token) return null;
  const verified = await context.auth.verifyAccessToken(token);
  if (!verified) return null;
  const user: SessionUser = { id: verified.userId, email: session.get("email") ?? null };
  const expiresAt = Math.min(tokenExpiry(token), now + VERIFIED_SESSION_TTL_MS);
  if (expiresAt > now) {
    if (verifiedSessions.size >= VERIFIED_SESSION_MAX) verifiedSessions.clear();
    verifiedSessions.set(cookieHeader, { user, expiresAt });
  }
  return { user, context, caller: context.callerFor(user.id, requestIdOf(request)) };
}

/** The logged-in user; otherwise throws a redirect to `/login?redirectTo=<this page>`. */
export async function requireUser(request: Request): Promise<AuthenticatedRequest> {
  const authenticated = await getOptionalUser(request);
  if (authenticated) return authenticated;
  const { context, session } = await getSession(request);
  const headers = new Headers();
  // A stale token is dropped so the login page starts clean.
  if (session.has("accessToken"))
    headers.set("Set-Cookie", await context.sessionStorage.destroySession(session));
  throw redirect(loginUrlFor(request), { headers });
}

/**
 * Cross-site request defence for form posts, on top of SameSite=Lax: a browser sends Origin on
 * every POST, and it must be this dashboard's own origin.
 */
export async function assertSameOrigin(request: Request): Promise<void> {
  const context = await getServerContext();
  const origin = request.headers.get("Origin");
  const allowed = new Set([
    new URL(request.url).origin,
    new URL(context.env.PUBLIC_BASE_URL).origin,
  ]);
  if (origin === null) {
    // Non-browser clients omit Origin; a browser's cross-site form always sends it. Fall back
    // to Sec-Fetch-Site, which modern browsers send even where Origin is "null".
    const site = request.headers.get("Sec-Fetch-Site");
    if (site === null || site === "same-origin" || site === "none") return;
  } else if (allowed.has(origin)) {
    return;
  }
  throw data(
    {
      message:
        "This form was sent from another site and was refused. Open the page here and try again.",
    },
    { status: 403, statusText: "Forbidden" },
  );
}

/** A Set-Cookie header carrying a one-time message for the next page. */
export async function flashHeader(message: string): Promise<string> {
  const context = await getServerContext();
  return context.flashCookie.serialize(message.slice(0, 300));
}

/** The pending one-time message, if any, and the header that clears it. */
export async function consumeFlash(
  request: Request,
): Promise<{ message: string | null; clear: string } | null> {
  const cookieHeader = request.headers.get("Cookie");
  // Cheap test first: almost no request carries a flash.
  if (!cookieHeader?.includes("__mad_flash=")) return null;
  const context = await getServerContext();
  const value: unknown = await context.flashCookie.parse(cookieHeader);
  return {
    message: typeof value === "string" && value.length > 0 ? value : null,
    clear: await context.flashCookie.serialize("", { maxAge: 0 }),
  };
}
