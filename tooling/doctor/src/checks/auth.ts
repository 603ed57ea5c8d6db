/** Token verification: a JWKS that serves keys, or a shared secret of a sane length. */
import { createRemoteJWKSet } from "jose";

import { type CheckResult, describeError, displayUrl, fail, pass } from "../check";
import type { DoctorEnv } from "../env";

export interface AuthFindings {
  result: CheckResult;
  serverDate: Date | null;
}

export async function checkAuth(env: DoctorEnv): Promise<AuthFindings> {
  const name = "token verification configured";
  if (!env.AUTH_JWKS_URL) {
    return {
      serverDate: null,
      result: pass(
        name,
        `HS256 shared secret (AUTH_JWT_SECRET), audience "${env.AUTH_JWT_AUDIENCE}"`,
      ),
    };
  }
  try {
    const response = await fetch(env.AUTH_JWKS_URL, { signal: AbortSignal.timeout(10_000) });
    const date = response.headers.get("date");
    const serverDate = date ? new Date(date) : null;
    const body = (await response.json().catch(() => null)) as { keys?: unknown[] } | null;
    if (!response.ok || !Array.isArray(body?.keys) || body.keys.length === 0) {
      return {
        serverDate,
        result: fail(
          name,
          `${displayUrl(env.AUTH_JWKS_URL)} answered HTTP ${response.status} without keys`,
          "set AUTH_JWKS_URL to https://<project>.supabase.co/auth/v1/.well-known/jwks.json",
        ),
      };
    }
    // The same parser the API uses must accept the set.
    createRemoteJWKSet(new URL(env.AUTH_JWKS_URL));
    return {
      serverDate,
      result: pass(
        name,
        `JWKS with ${body.keys.length} key(s) at ${displayUrl(env.AUTH_JWKS_URL)}, audience "${env.AUTH_JWT_AUDIENCE}"`,
      ),
    };
  } catch (error) {
    return {
      serverDate: null,
      result: fail(
        name,
        `cannot fetch ${displayUrl(env.AUTH_JWKS_URL)}: ${describeError(error)}`,
        "check AUTH_JWKS_URL and that this host may reach it",
      ),
    };
  }
}
