/**
 * Supabase's signed download tokens: HS256 JWT `{ url: "<bucket>/<path>", scope: "download",
 * iat, exp }`. Shared by the local backend, its download handler and the test stand-in so all
 * three answer exactly alike.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

const encoder = new TextEncoder();

export function signingKey(secret: string): Uint8Array {
  return encoder.encode(secret);
}

export async function signDownloadToken(
  secret: string,
  bucketPath: string,
  expiresInSeconds: number,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return (
    new SignJWT({ url: bucketPath, scope: "download" })
      // Supabase's header is exactly {"alg":"HS256"} (no typ).
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresInSeconds)
      .sign(signingKey(secret))
  );
}

export type SignedTokenError = "InvalidJWT" | "InvalidSignature";

export type TokenCheck =
  { ok: true; expiresAt: Date } | { ok: false; error: SignedTokenError; message: string };

const claimsSchema = z.object({
  url: z.string(),
  scope: z.string().optional(),
  exp: z.number(),
  iat: z.number().optional(),
});

/**
 * Checks in the order Supabase Storage v1.70.6 does: the JWT itself (signature, then `exp` —
 * so an expired token is InvalidJWT even on another path), then the scope, then that it was
 * issued for exactly `bucketPath` (InvalidSignature).
 */
export async function verifyDownloadToken(
  secret: string,
  token: string,
  bucketPath: string,
  now: Date,
): Promise<TokenCheck> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, signingKey(secret), {
      algorithms: ["HS256"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed)
      return { ok: false, error: "InvalidJWT", message: "signature verification failed" };
    if (error instanceof joseErrors.JWTExpired)
      return { ok: false, error: "InvalidJWT", message: error.message };
    return { ok: false, error: "InvalidJWT", message: "jwt malformed" };
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return { ok: false, error: "InvalidJWT", message: "jwt malformed" };
  if (claims.data.scope !== undefined && claims.data.scope !== "download")
    return { ok: false, error: "InvalidJWT", message: "jwt scope is not download" };
  if (claims.data.url !== bucketPath)
    return { ok: false, error: "InvalidSignature", message: "Invalid signature" };
  return { ok: true, expiresAt: new Date(claims.data.exp * 1000) };
}
