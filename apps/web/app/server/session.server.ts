/**
 * The dashboard's session: a signed, HttpOnly, SameSite=Lax cookie holding the user's access
 * token. Every request re-verifies the token, so an expired or forged one means "log in again".
 */
import { data, redirect } from "@remix-run/node";

import { CROSS_SITE_REFUSAL_MESSAGE, isSameOriginRequest, originOf } from "@mad/api/csrf";

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
  const expiresAt = Math.min(verified.expiresAt.getTime(), now + VERIFIED_SESSION_TTL_MS);
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
 * Cross-site request defence for form posts, on top of SameSite=Lax: the product's one rule
 * (@mad/api/csrf; server.js applies it before Remix too, this keeps every action safe on its own,
 * e.g. under the Vite dev server).
 */
export async function assertSameOrigin(request: Request): Promise<void> {
  const context = await getServerContext();
  if (isSameOriginRequest(request, [originOf(context.env.PUBLIC_BASE_URL)])) return;
  throw data({ message: CROSS_SITE_REFUSAL_MESSAGE }, { status: 403, statusText: "Forbidden" });
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
