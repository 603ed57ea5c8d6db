import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * File URLs work like presigned URLs: no bearer key, but an HMAC over job id, file name, variant
 * and expiry, so a URL can be neither guessed nor edited into another file.
 */
export interface SignedFileRef {
  jobId: string;
  fileName: string;
  variant: string;
  expiresAt: number; // unix seconds
}

function payload(ref: SignedFileRef): string {
  return `${ref.jobId}\n${ref.fileName}\n${ref.variant}\n${ref.expiresAt}`;
}

export function signFileRef(secret: Buffer, ref: SignedFileRef): string {
  return createHmac("sha256", secret).update(payload(ref)).digest("base64url");
}

export function verifyFileSignature(
  secret: Buffer,
  ref: SignedFileRef,
  signature: string,
): boolean {
  const expected = Buffer.from(signFileRef(secret, ref));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Constant-time comparison of two secrets of any length (both hashed first). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The URL a listing hands out for a file: `{origin}/files/{job}/{name}?v=&exp=&sig=`. */
export function signedFileUrl(
  origin: string,
  secret: Buffer,
  ttlSeconds: number,
  ref: Omit<SignedFileRef, "expiresAt">,
): string {
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const sig = signFileRef(secret, { ...ref, expiresAt });
  const query = new URLSearchParams({
    ...(ref.variant ? { v: ref.variant } : {}),
    exp: String(expiresAt),
    sig,
  });
  const job = encodeURIComponent(ref.jobId);
  if (ref.variant === "probe") {
    // Hostile names ("..", "a/b.json") cannot survive as a path segment (URL parsers resolve
    // dot segments), so probe URLs carry the name in the query instead.
    return `${origin}/files/${job}?${new URLSearchParams({ name: ref.fileName }).toString()}&${query.toString()}`;
  }
  return `${origin}/files/${job}/${encodeURIComponent(ref.fileName)}?${query.toString()}`;
}
