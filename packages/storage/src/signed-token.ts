/**
 * Supabase's signed download tokens: HS256 JWT `{ url: "<bucket>/<path>", scope: "download",
 * iat, exp }`. Shared by the local backend, its download handler and the test stand-in so all
 * three answer exactly alike.
 */
import { jwtVerify, SignJWT } from "jose";

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
  { ok: true; expiresAt: Date | null } | { ok: false; error: SignedTokenError; message: string };

/**
 * Checks in the order Supabase Storage v1.70.6 does (storage/object.ts verifyObjectSignature,
 * observed 2026-12-03): the JWT itself with jose — HS256 only, signature, `exp` and `nbf` when
 * present — answering InvalidJWT with jose's own message (so an expired token is InvalidJWT even
 * on another path); then the scope — `download`, or none on a token without `upsert` — else
 * InvalidSignature "Token is not scoped for download"; then that `url` is exactly `bucketPath`
 * (InvalidSignature "Invalid signature", also when `url` is missing). A token without `exp`
 * never expires there; ours always carry one.
 */
export async function verifyDownloadToken(
  secret: string,
  token: string,
  bucketPath: string,
  now: Date,
): Promise<TokenCheck> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, signingKey(secret), {
      algorithms: ["HS256"],
      currentDate: now,
    }));
  } catch (error) {
    const message = error instanceof Error && error.message ? error.message : "Invalid JWT";
    return { ok: false, error: "InvalidJWT", message };
  }
  const downloadScoped =
    payload.scope === "download" || (payload.scope === undefined && !("upsert" in payload));
  if (!downloadScoped)
    return { ok: false, error: "InvalidSignature", message: "Token is not scoped for download" };
  if (payload.url !== bucketPath)
    return { ok: false, error: "InvalidSignature", message: "Invalid signature" };
  const exp = typeof payload.exp === "number" ? new Date(payload.exp * 1000) : null;
  return { ok: true, expiresAt: exp };
}
