/**
 * Verifies Supabase-compatible access tokens (JWT, `sub` = the user's uuid) and mints them for the
 * development login and tests. Supabase signs with the project's HS256 secret, or — with
 * asymmetric signing keys — with RS256/ES256 keys published as a JWKS; both are accepted.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import { z } from "zod";

export interface AuthConfig {
  /** The project's HS256 JWT secret (≥ 32 characters). */
  jwtSecret: string;
  /** Optional JWKS endpoint of asymmetric signing keys (RS256, ES256, EdDSA). */
  jwksUrl?: string;
  /** Expected `aud`; Supabase issues "authenticated". */
  audience?: string;
  /** Expected `iss` when given (e.g. `https://<ref>.supabase.co/auth/v1`). */
  issuer?: string;
  /** Clock used for `exp`/`nbf` checks and minting; injectable for tests. */
  now?: () => Date;
  /** Allowed clock skew between the issuer and us. */
  clockToleranceSeconds?: number;
}

export interface VerifiedUser {
  userId: string;
  /**
   * When the token stops being valid (its verified `exp` claim): a host that caches the
   * verification must not keep it any longer.
   */
  expiresAt: Date;
}

export interface MintOptions {
  expiresInSeconds?: number;
  /** Extra claims (e.g. email) for the development login. */
  claims?: Record<string, unknown>;
}

export interface Auth {
  /** The caller's user id, or null for a token that is missing, malformed, expired or forged. */
  verifyAccessToken(token: string): Promise<VerifiedUser | null>;
  /** An HS256 access token like Supabase's; for the development login and tests only. */
  mintAccessToken(userId: string, options?: MintOptions): Promise<string>;
}

const authConfigSchema = z.object({
  jwtSecret: z.string().min(32, "jwtSecret must be at least 32 characters"),
  jwksUrl: z.url().optional(),
  audience: z.string().min(1).default("authenticated"),
  issuer: z.string().min(1).optional(),
  clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
});

const ASYMMETRIC_ALGORITHMS = ["RS256", "ES256", "EdDSA", "PS256"];
// Tokens are a few hundred bytes; anything much larger is not one of ours.
const MAX_TOKEN_LENGTH = 8_192;
const userIdSchema = z.uuid();

export function createAuth(config: AuthConfig): Auth {
  const parsed = authConfigSchema.parse({
    jwtSecret: config.jwtSecret,
    jwksUrl: config.jwksUrl,
    audience: config.audience,
    issuer: config.issuer,
    clockToleranceSeconds: config.clockToleranceSeconds,
  });
  const secret = new TextEncoder().encode(parsed.jwtSecret);
  const jwks = parsed.jwksUrl ? createRemoteJWKSet(new URL(parsed.jwksUrl)) : null;
  const now = config.now ?? (() => new Date());

  function userFrom(payload: JWTPayload): VerifiedUser | null {
    const sub = userIdSchema.safeParse(payload.sub);
    // `exp` is a required claim, so jose has checked it is a number.
    if (!sub.success || payload.exp === undefined) return null;
    return { userId: sub.data.toLowerCase(), expiresAt: new Date(payload.exp * 1000) };
  }

  return {
    async verifyAccessToken(token) {
      if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
        return null;
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        return null;
      }
      const options = {
        audience: parsed.audience,
        issuer: parsed.issuer,
        currentDate: now(),
        clockTolerance: parsed.clockToleranceSeconds,
        requiredClaims: ["sub", "exp"],
      };
      try {
        if (alg === "HS256") {
          const { payload } = await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] });
          return userFrom(payload);
        }
        if (jwks && alg && ASYMMETRIC_ALGORITHMS.includes(alg)) {
          const { payload } = await jwtVerify(token, jwks, {
            ...options,
            algorithms: ASYMMETRIC_ALGORITHMS,
          });
          return userFrom(payload);
        }
        return null;
      } catch {
        // Expired, not yet valid, wrong audience/issuer, bad signature, unknown key, JWKS
        // unreachable: all mean "not authenticated"; the reason is not the caller's business.
        return null;
      }
    },

    async mintAccessToken(userId, options = {}) {
      const sub = userIdSchema.parse(userId);
      const issuedAt = Math.floor(now().getTime() / 1000);
      const jwt = new SignJWT({ role: "authenticated", ...options.claims })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(sub)
        .setAudience(parsed.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 3600));
      if (parsed.issuer) jwt.setIssuer(parsed.issuer);
      return jwt.sign(secret);
    },
  };
}
