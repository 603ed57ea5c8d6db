/**
 * The dashboard's one session-cookie configuration: the server uses it, and the browser tests
 * mint their cookies with it, so the two can never drift apart.
 */
import { createCookieSessionStorage } from "@remix-run/node";

export interface SessionData {
  accessToken: string;
  /** Shown in the header; the token's `sub` stays the only identity that counts. */
  email: string;
}

export const SESSION_COOKIE_NAME = "__mad_session";
const EIGHT_HOURS = 60 * 60 * 8;

export function createSessionStorage(options: { secret: string; secure: boolean }) {
  return createCookieSessionStorage<SessionData>({
    cookie: {
      name: SESSION_COOKIE_NAME,
      httpOnly: true,
      sameSite: "lax",
      secure: options.secure,
      path: "/",
      secrets: [options.secret],
      maxAge: EIGHT_HOURS,
    },
  });
}
