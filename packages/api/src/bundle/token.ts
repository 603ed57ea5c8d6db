/**
 * The bundle URL's token: an HS256 JWT `{ scope: "bundle", sub: <user id>, aid: <artifact id>,
 * iat, exp }`, like the storage's signed URLs but for a whole model. The URL carries no other
 * authority: the download re-checks in SQL that the user still owns the live, stored model.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

const encoder = new TextEncoder();
const SCOPE = "bundle";

export interface BundleGrant {
  userId: string;
  artifactId: string;
}

export async function signBundleToken(
  secret: string,
  grant: BundleGrant,
  expiresInSeconds: number,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ scope: SCOPE, aid: grant.artifactId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(grant.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .sign(encoder.encode(secret));
}

const claimsSchema = z.object({ scope: z.literal(SCOPE), sub: z.uuid(), aid: z.uuid() });

export type BundleTokenCheck =
  { ok: true; grant: BundleGrant } | { ok: false; reason: "missing" | "invalid" | "expired" };

/** Valid only for the artifact in the URL (`artifactId`), before its expiry, with our key. */
export async function verifyBundleToken(
  secret: string,
  token: string | null,
  artifactId: string,
  now: Date,
): Promise<BundleTokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ["HS256"],
      currentDate: now,
      clockTolerance: 0,
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.aid !== artifactId.toLowerCase()) {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, grant: { userId: claims.data.sub, artifactId: claims.data.aid } };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}
