/**
 * The dashboard's session: a signed, HttpOnly, SameSite=Lax cookie holding the user's access
 * token. Every request re-verifies the token, so an expired or forged one means "log in again".
 */
import { redirect } from "@remix-run/node";

import { safeRedirectPath } from "../lib/safe-redirect";
import { getServerContext, type ServerCaller, type ServerContext } from "./context.server";

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
  return { context, session: await context.sessionStorage.getSession(request.headers.get("Cookie")) };
}

/** The logged-in user, or null (an invalid or expired token counts as logged out). */
export async function getOptionalUser(request: Request): Promise<AuthenticatedRequest | null> {
  const { context, session } = await getSession(request);
  const token = session.get("accessToken");
  if (!token) return null;
  const verified = await context.auth.verifyAccessToken(token);
  if (!verified) return null;
  const user: SessionUser = { id: verified.userId, email: session.get("email") ?? null };
  return { user, context, caller: context.callerFor(user.id) };
}

/** The logged-in user; otherwise throws a redirect to `/login?redirectTo=<this page>`. */
export async function requireUser(request: Request): Promise<AuthenticatedRequest> {
  const authenticated = await getOptionalUser(request);
  if (authenticated) return authenticated;
  const { context, session } = await getSession(request);
  const headers = new Headers();
  // A stale token is dropped so the login page starts clean.
  if (session.has("accessToken")) headers.set("Set-Cookie", await context.sessionStorage.destroySession(session));
  throw redirect(loginUrlFor(request), { headers });
}

/**
 * Cross-site request defence for form posts, on top of SameSite=Lax: a browser sends Origin on
 * every POST, and it must be this dashboard's own origin.
 */
export async function assertSameOrigin(request: Request): Promise<void> {
  const context = await getServerContext();
  const origin = request.headers.get("Origin");
  const allowed = new Set([new URL(request.url).origin, new URL(context.env.PUBLIC_BASE_URL).origin]);
  if (origin === null) {
    // Non-browser clients omit Origin; a browser's cross-site form always sends it. Fall back
    // to Sec-Fetch-Site, which modern browsers send even where Origin is "null".
    const site = request.headers.get("Sec-Fetch-Site");
    if (site === null || site === "same-origin" || site === "none") return;
  } else if (allowed.has(origin)) {
    return;
  }
  throw new Response("This form was sent from another site and was refused.", {
    status: 403,
    statusText: "Forbidden",
  });
}
