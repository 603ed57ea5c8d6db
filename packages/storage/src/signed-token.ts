/**
 * Supabase's signed download tokens: HS256 JWT `{ url: "<bucket>/<path>", scope: "download",
 * iat, exp }`. Shared by the local backend, its download handler and the test stand-in so all
 * three answer exactly alike.
 */
import { compactVerify, errors as joseErrors, SignJWT } from "jose";
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
  return new SignJWT({ url: bucketPath, scope: "download" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .sign(signingKey(secret));
}

export type SignedTokenError = "InvalidJWT" | "InvalidSignature";

export type TokenCheck = { ok: true } | { ok: false; error: SignedTokenError; message: string };

const claimsSchema = z.object({
  url: z.string(),
  scope: z.string().optional(),
  exp: z.number(),
  iat: z.number().optional(),
});

/**
 * Checks in the order Supabase does: signature, scope, that the token was issued for exactly
 * `bucketPath`, then expiry (so a token reused on another path is `InvalidSignature` even when
 * it has also expired).
 */
export async function verifyDownloadToken(
  secret: string,
  token: string | null,
  bucketPath: string,
  now: Date,
): Promise<TokenCheck> {
  if (!token) return { ok: false, error: "InvalidJWT", message: "Missing token" };
  let payloadBytes: Uint8Array;
  try {
    const verified = await compactVerify(token, signingKey(secret), { algorithms: ["HS256"] });
    payloadBytes = verified.payload;
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return { ok: false, error: "InvalidSignature", message: "invalid signature" };
    }
    return { ok: false, error: "InvalidJWT", message: "jwt malformed" };
  }
  let claims: z.infer<typeof claimsSchema>;
  try {
    claims = claimsSchema.parse(JSON.parse(new TextDecoder().decode(payloadBytes)));
  } catch {
    return { ok: false, error: "InvalidJWT", message: "jwt malformed" };
  }
  if (claims.scope !== undefined && claims.scope !== "download") {
    return { ok: false, error: "InvalidJWT", message: "jwt scope is not download" };
  }
  if (claims.url !== bucketPath) {
    return { ok: false, error: "InvalidSignature", message: "The url do not match the signature" };
  }
  if (claims.exp <= Math.floor(now.getTime() / 1000)) {
    return { ok: false, error: "InvalidJWT", message: "jwt expired" };
  }
  return { ok: true };
}
