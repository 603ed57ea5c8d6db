/**
 * Development-only bearer tokens for the API (`/api/trpc`), for a demo user: what a newcomer
 * needs to try the typed client against `pnpm dev` or the run command. Refused exactly where the
 * development login is (NODE_ENV=production, or ENABLE_DEV_LOGIN=false).
 */
import { createAuth } from "@mad/api";
import { DEMO_USERS } from "@mad/db";

import { devLoginEnabled, type WebEnv } from "../env.server";

export const DEV_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

type DemoUser = (typeof DEMO_USERS)[number];

export type DevTokenResult =
  | { ok: true; token: string; user: DemoUser; expiresInSeconds: number }
  | { ok: false; message: string };

/** The lower-case first name a demo user is asked for by ("ada"). */
function firstName(user: DemoUser): string {
  const [first = ""] = user.name.toLowerCase().split(/\s+/);
  return first;
}

/** Finds a demo user by id, email, or first name (case-insensitive). */
export function findDemoUser(who: string) {
  const needle = who.trim().toLowerCase();
  return DEMO_USERS.find(
    (user) =>
      user.id === needle || user.email.toLowerCase() === needle || firstName(user) === needle,
  );
}

export async function mintDevToken(env: WebEnv, who: string): Promise<DevTokenResult> {
  if (!devLoginEnabled(env)) {
    return {
      ok: false,
      message:
        "Development tokens exist only where the development login does (NODE_ENV is not production and ENABLE_DEV_LOGIN is on). In production, use a Supabase access token.",
    };
  }
  const user = findDemoUser(who);
  if (!user) {
    return {
      ok: false,
      message: `No demo user "${who}". Choose one of: ${DEMO_USERS.map(firstName).join(", ")}.`,
    };
  }
  const auth = createAuth({ jwtSecret: env.AUTH_JWT_SECRET, audience: env.AUTH_JWT_AUDIENCE });
  const token = await auth.mintAccessToken(user.id, {
    expiresInSeconds: DEV_TOKEN_LIFETIME_SECONDS,
    claims: { email: user.email },
  });
  return { ok: true, token, user, expiresInSeconds: DEV_TOKEN_LIFETIME_SECONDS };
}
